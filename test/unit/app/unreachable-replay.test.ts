import assert from "node:assert/strict";
import { escalateUnreachable } from "../../../src/app/escalate-unreachable";
import { newBatch } from "../../../src/app/shared/journal";
import type { ChannelRef, DomainEvent, UserId } from "../../../src/domain/model";
import type { Notifier, OutgoingCard, SentCard } from "../../../src/ports/notifier";
import { type Harness, createHarness } from "../../bot/support/harness";
import { submitAnasRequest } from "./support/anas-request";
import { harnessSink } from "./support/harness-sink";

/** A Bot Connector stand-in that delivers everything and records to whom. */
class RecordingNotifier implements Notifier {
  readonly sent: UserId[] = [];
  async sendToUser(userId: UserId, _message: OutgoingCard): Promise<SentCard | undefined> {
    this.sent.push(userId);
    return { userId, subject: "", conversationId: `a:${userId}`, activityId: String(this.sent.length) };
  }
  async sendToChannel(_channel: ChannelRef, _message: OutgoingCard): Promise<void> {}
  async updateCards(): Promise<number> {
    return 0;
  }
}

describe("unreachable approvers after a crash", () => {
  let h: Harness;
  let requestId: string;

  beforeEach(async () => {
    h = await createHarness();
    requestId = await submitAnasRequest(h.bot.deps);
    await h.bot.events.drain();
  });

  it("adds the fallback approvers when the batch runs again after the refusal was logged but not acted on", async () => {
    const events: DomainEvent[] = [
      { type: "StageStarted", requestId, stage: 1, approvers: ["maria"], fallbackUsed: false },
    ];
    const batch = newBatch(h.bot.deps, { kind: "request", id: requestId }, events);
    await h.stores.due.schedule([batch.item]);
    // The process that ran the batch logged Maria's refusal, then died before anything else.
    await h.stores.deliveries.record(batch.id, {
      key: "0|user|maria",
      status: "undeliverable",
      reason: "the app is not installed for them",
      at: batch.at,
    });
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[0]!.fallbackAdded, undefined);

    const notifier = new RecordingNotifier();
    const sink = harnessSink(h, notifier, {
      unreachableApprovers: (refused) => escalateUnreachable(h.bot.deps, refused),
    });
    await sink.replay(batch);
    await h.bot.events.drain();

    assert.ok(!notifier.sent.includes("maria"), "the refused card is not tried again");
    const stage = (await h.stores.requests.get(requestId))!.value.stages[0]!;
    assert.deepEqual(stage.fallbackAdded?.approvers, ["sam", "sara"]);
    const rows = await h.stores.audit.query({ subject: `request:${requestId}`, limit: 50 });
    assert.equal(rows.filter((r) => r.action === "stage.fallbackAdded").length, 1);

    // Run once more (a second sweep): nothing changes.
    const revision = (await h.stores.requests.get(requestId))!.value.revision;
    await sink.replay(batch);
    await h.bot.events.drain();
    assert.equal((await h.stores.requests.get(requestId))!.value.revision, revision);
  });
});
