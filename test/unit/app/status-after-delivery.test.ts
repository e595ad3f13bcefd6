import assert from "node:assert/strict";
import { decideApproval } from "../../../src/app/decide-approval";
import type { ChannelRef, UserId } from "../../../src/domain/model";
import type { Notifier, OutgoingCard, SentCard } from "../../../src/ports/notifier";
import { type Harness, createHarness } from "../../bot/support/harness";
import { submitAnasRequest } from "./support/anas-request";
import { harnessSink } from "./support/harness-sink";

/** Records what every card update said. */
class UpdateRecorder implements Notifier {
  readonly updates: Array<{ subject: string; summary: string }> = [];
  async sendToUser(userId: UserId): Promise<SentCard | undefined> {
    return { userId, subject: "", conversationId: `a:${userId}`, activityId: "1" };
  }
  async sendToChannel(_channel: ChannelRef, _message: OutgoingCard): Promise<void> {}
  async updateCards(subject: string, message: OutgoingCard): Promise<number> {
    this.updates.push({ subject, summary: message.summary });
    return 1;
  }
}

describe("the requester's status card after delivery", () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createHarness();
  });

  async function approveAll(requestId: string): Promise<void> {
    for (const [stage, actorId] of [
      [1, "maria"],
      [2, "sam"],
    ] as const) {
      const decided = await decideApproval(h.bot.deps, {
        actorId,
        requestId,
        stage,
        outcome: "approve",
        justification: "ok",
        source: "test",
      });
      assert.ok(decided.ok);
      await decided.value.followUp;
    }
    await h.bot.events.drain();
  }

  it("shows the delivery's outcome when its notice is planned before the request mirrors it", async () => {
    const requestId = await submitAnasRequest(h.bot.deps);
    await approveAll(requestId);
    const delivered = (await h.stores.requests.get(requestId))!;
    assert.equal(delivered.value.state, "delivered");
    // The moment in between: the assignment is saved (its batch published), the request not yet.
    await h.stores.requests.update({ ...delivered.value, state: "delivering" }, delivered.etag);

    const notifier = new UpdateRecorder();
    const sink = harnessSink(h, notifier);
    await sink.publish([
      { type: "AssignmentDelivered", assignmentId: delivered.value.assignmentId!, state: "delivered" },
    ]);
    await sink.drain();

    const status = notifier.updates.filter((u) => u.subject === `status:${requestId}`);
    assert.equal(status.length, 1);
    assert.match(status[0]!.summary, /: Delivered/);
  });
});
