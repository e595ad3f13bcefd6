import assert from "node:assert/strict";
import { newBatch } from "../../../src/app/shared/journal";
import type { ChannelRef, DomainEvent, UserId } from "../../../src/domain/model";
import {
  type Notifier,
  type OutgoingCard,
  type SentCard,
  SupersededNotice,
} from "../../../src/ports/notifier";
import { type Harness, createHarness } from "../../bot/support/harness";
import { submitAnasRequest } from "./support/anas-request";
import { harnessSink } from "./support/harness-sink";

/**
 * A Bot Connector stand-in: refuses or never answers for chosen people, or drops their message as an
 * outcome's pacer would (overtaken while it waited), and records the rest.
 */
class ScriptedNotifier implements Notifier {
  readonly sent: Array<{ to: UserId; summary: string }> = [];
  constructor(private readonly behaviour: Record<string, "refuse" | "hang" | "overtaken">) {}
  async sendToUser(userId: UserId, message: OutgoingCard): Promise<SentCard | undefined> {
    const how = this.behaviour[userId];
    if (how === "refuse") throw Object.assign(new Error("Forbidden"), { statusCode: 403 });
    if (how === "overtaken") throw new SupersededNotice(`a:${userId}`);
    if (how === "hang") return new Promise<never>(() => undefined);
    this.sent.push({ to: userId, summary: message.summary });
    return { userId, subject: "", conversationId: `a:${userId}`, activityId: String(this.sent.length) };
  }
  async sendToChannel(_channel: ChannelRef, _message: OutgoingCard): Promise<void> {}
  async updateCards(): Promise<number> {
    return 0;
  }
}

describe("notification sink", () => {
  let h: Harness;
  let requestId: string;

  beforeEach(async () => {
    h = await createHarness();
    requestId = await submitAnasRequest(h.bot.deps);
  });

  const sinkWith = (notifier: Notifier, sources = h.bot.deps) => harnessSink(h, notifier, { sources });
  const stageStarted = (approvers: UserId[]): DomainEvent => ({
    type: "StageStarted",
    requestId,
    stage: 1,
    approvers,
    fallbackUsed: false,
  });
  const journaled = async (events: DomainEvent[]) => {
    const batch = newBatch(h.bot.deps, { kind: "request", id: requestId }, events);
    await h.stores.due.schedule([batch.item]);
    return batch;
  };
  const effectsLeft = async () =>
    (await h.stores.due.listDue("2100-01-01T00:00:00.000Z", 100)).filter((i) => i.value.kind === "effects");

  it("records a person the app cannot reach, tells the catalog owner and the requester, and finishes the batch", async () => {
    const notifier = new ScriptedNotifier({ ben: "refuse" });
    const sink = sinkWith(notifier);
    await sink.publish([stageStarted(["ben", "maria"])], await journaled([stageStarted(["ben", "maria"])]));
    await sink.drain();

    assert.deepEqual(
      notifier.sent.map((s) => s.to),
      ["maria", "maria", "ana"],
      "the approver's card, then the owner's and the requester's notice",
    );
    assert.match(notifier.sent[1]!.summary, /Couldn't reach/);
    assert.match(notifier.sent[2]!.summary, /Couldn't reach/);
    const rows = await h.stores.audit.query({ targetUserId: "ben" });
    assert.deepEqual(
      rows.map((r) => [r.action, r.reason]),
      [["notification.undeliverable", "the app is not installed for them"]],
    );
    assert.equal((await effectsLeft()).length, 0);
  });

  it("keeps sending to others while one conversation never answers", async () => {
    const notifier = new ScriptedNotifier({ ben: "hang" });
    const sink = sinkWith(notifier);
    const hung = await journaled([stageStarted(["ben"])]);
    await sink.publish(hung.events, hung);
    await sink.publish([stageStarted(["maria"])], await journaled([stageStarted(["maria"])]));
    for (let i = 0; i < 50 && notifier.sent.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(
      notifier.sent.map((s) => s.to),
      ["maria"],
    );
    // The hung batch is still due (its send never finished): a sweep will try it again.
    const left = await effectsLeft();
    assert.deepEqual(
      left.map((i) => i.value.discriminator),
      [hung.id],
    );
  });

  it("a batch run again skips what the delivery log says went out", async () => {
    const notifier = new ScriptedNotifier({});
    const sink = sinkWith(notifier);
    const batch = await journaled([stageStarted(["maria", "sam"])]);
    await sink.replay(batch);
    await sink.replay(batch);
    assert.deepEqual(notifier.sent.map((s) => s.to).sort(), ["maria", "sam"]);
  });

  it("finishes a batch whose notice an outcome overtook, and a run of it again (after a crash) sends nothing late", async () => {
    const approved: DomainEvent = {
      type: "StageApproved",
      requestId,
      stage: 1,
      by: "maria",
      justification: "ok",
    };
    const batch = await journaled([approved]);
    await sinkWith(new ScriptedNotifier({ ana: "overtaken" })).replay(batch);
    assert.equal((await effectsLeft()).length, 0, "nothing left to retry");
    // The sweep runs it again anyway (as after a crash between the send and the batch's removal).
    const later = new ScriptedNotifier({});
    await sinkWith(later).replay(batch);
    assert.deepEqual(later.sent, [], "the overtaken notice is not sent late");
  });

  /** Holds each send until released; a released send goes out, or fails as a Bot Connector 502. */
  class GatedNotifier extends ScriptedNotifier {
    readonly waiting: Array<(outcome: "out" | "502") => void> = [];
    constructor() {
      super({});
    }
    override sendToUser(userId: UserId, message: OutgoingCard): Promise<SentCard | undefined> {
      return new Promise<"out" | "502">((resolve) => this.waiting.push(resolve)).then((outcome) => {
        if (outcome === "502") throw Object.assign(new Error("Bad Gateway"), { statusCode: 502 });
        return super.sendToUser(userId, message);
      });
    }
  }
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(check(), "timed out");
  };

  for (const firstOutcome of ["out", "502"] as const) {
    it(`a batch run again while its first run's send is still out waits for it (first send: ${firstOutcome}): one card`, async () => {
      const notifier = new GatedNotifier();
      const sink = sinkWith(notifier);
      const batch = await journaled([stageStarted(["maria"])]);
      await sink.publish(batch.events, batch);
      await until(() => notifier.waiting.length === 1);
      const replay = sink.replay(batch).catch((error: unknown) => error);
      // The run again must not post while the first send is out.
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(notifier.waiting.length, 1, "the run again waited instead of posting");
      notifier.waiting[0]!(firstOutcome);
      if (firstOutcome === "502") {
        await until(() => notifier.waiting.length === 2);
        notifier.waiting[1]!("out");
      }
      assert.equal(await replay, undefined, "the run again finished the batch");
      await sink.drain();
      assert.deepEqual(
        notifier.sent.map((s) => s.to),
        ["maria"],
      );
      assert.deepEqual(await effectsLeft(), []);
    });
  }

  it("plans another request's batch while one request's reads hang, and a request's own batches in order", async () => {
    const notifier = new ScriptedNotifier({});
    const stored = (await h.stores.requests.get(requestId))!.value;
    let release = () => {};
    const hanging = new Promise<void>((resolve) => (release = resolve));
    // Storage that answers slowly for the first request only; "req-other" is a second request.
    const requests = Object.create(h.bot.deps.requests) as typeof h.bot.deps.requests;
    requests.get = async (id: string) => {
      if (id === requestId) await hanging;
      const value =
        id === "req-other" ? { ...stored, id: "req-other" } : (await h.stores.requests.get(id))?.value;
      return value && { value, etag: "*" };
    };
    const sink = sinkWith(
      notifier,
      Object.assign(Object.create(h.bot.deps), { requests }) as typeof h.bot.deps,
    );
    await sink.publish([stageStarted(["maria"])]);
    await sink.publish([{ type: "StageApproved", requestId, stage: 1, by: "maria", justification: "ok" }]);
    await sink.publish([{ ...stageStarted(["sam"]), requestId: "req-other" } as DomainEvent]);
    await until(() => notifier.sent.length === 1);
    assert.deepEqual(
      notifier.sent.map((s) => s.to),
      ["sam"],
      "the other request's card went out while the first request's reads hang",
    );
    release();
    await sink.drain();
    assert.deepEqual(
      notifier.sent.map((s) => s.to),
      ["sam", "maria", "ana"],
      "the first request's card, then its stage's news to the requester",
    );
  });
});
