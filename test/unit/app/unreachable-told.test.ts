import assert from "node:assert/strict";
import type { FixedClock } from "../../../src/adapters/runtime/clock";
import { newBatch } from "../../../src/app/shared/journal";
import type { ChannelRef, DomainEvent, UserId } from "../../../src/domain/model";
import type { Notifier, OutgoingCard, SentCard } from "../../../src/ports/notifier";
import { type Harness, createHarness } from "../../bot/support/harness";
import { submitAnasRequest, submitBusinessAnalystRequest } from "./support/anas-request";
import { harnessSink } from "./support/harness-sink";

/** Refuses Ben for good (the app is not installed for him); fails for chosen people while told to. */
class RefusingBen implements Notifier {
  readonly sent: Array<{ to: UserId; summary: string }> = [];
  readonly failing = new Set<UserId>();
  async sendToUser(userId: UserId, message: OutgoingCard): Promise<SentCard | undefined> {
    if (userId === "ben") throw Object.assign(new Error("Forbidden"), { statusCode: 403 });
    if (this.failing.has(userId)) throw Object.assign(new Error("Bad gateway"), { statusCode: 502 });
    this.sent.push({ to: userId, summary: message.summary });
    return { userId, subject: "", conversationId: `a:${userId}`, activityId: String(this.sent.length) };
  }
  async sendToChannel(_channel: ChannelRef, _message: OutgoingCard): Promise<void> {}
  async updateCards(): Promise<number> {
    return 0;
  }
  /** "Couldn't reach" notices each person received. */
  told(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of this.sent) if (/Couldn't reach/.test(s.summary)) counts[s.to] = (counts[s.to] ?? 0) + 1;
    return counts;
  }
}

/** `call`, except that the first call `when` picks is refused with `error`. */
function failingOnce<A extends unknown[], R>(
  call: (...args: A) => Promise<R>,
  when: (...args: A) => boolean,
  error: Error,
): (...args: A) => Promise<R> {
  let failed = false;
  return (...args) => {
    if (failed || !when(...args)) return call(...args);
    failed = true;
    return Promise.reject(error);
  };
}

describe("telling who cannot be reached, once a day", () => {
  let h: Harness;
  let anas: string;
  let lolas: string;

  beforeEach(async () => {
    h = await createHarness();
    anas = await submitAnasRequest(h.bot.deps);
    lolas = await submitBusinessAnalystRequest(h.bot.deps, "lola", "Budget review");
  });

  /** A journaled batch of one event asking Ben and Sam to approve the request. */
  const cardsToBen = async (requestId: string) => {
    const event: DomainEvent = {
      type: "StageStarted",
      requestId,
      stage: 1,
      approvers: ["ben", "sam"],
      fallbackUsed: false,
    };
    const batch = newBatch(h.bot.deps, { kind: "request", id: requestId }, [event]);
    await h.stores.due.schedule([batch.item]);
    return { events: [event], batch };
  };
  const publishAll = async (notifier: Notifier, requestIds: string[]) => {
    const sink = harnessSink(h, notifier);
    const batches = await Promise.all(requestIds.map(cardsToBen));
    for (const b of batches) await sink.publish(b.events, b.batch);
    await sink.drain();
  };
  const stillDue = async (batchId: string) =>
    (await h.stores.due.listDue("2100-01-01T00:00:00.000Z", 100)).some(
      (i) => i.value.kind === "effects" && i.value.discriminator === batchId,
    );
  const refusalsAudited = async () =>
    (await h.stores.audit.query({ targetUserId: "ben" })).filter(
      (r) => r.action === "notification.undeliverable",
    ).length;

  it("a burst of cards refused to one approver tells the catalog owner once and each requester once", async () => {
    const notifier = new RefusingBen();
    await publishAll(notifier, [anas, lolas, anas, lolas, anas, lolas]);

    assert.deepEqual(notifier.told(), { maria: 1, ana: 1, lola: 1 });
    assert.equal(notifier.sent.filter((s) => s.to === "sam").length, 6, "Sam's cards all went out");
    assert.equal(await refusalsAudited(), 6, "every refusal is still audited");
  });

  it("another instance, or a restart, does not tell them again within the day; a day later it does", async () => {
    await publishAll(new RefusingBen(), [anas]);

    const restarted = new RefusingBen();
    await publishAll(restarted, [anas]);
    assert.deepEqual(restarted.told(), {}, "the register in storage says they were told");

    (h.clock as FixedClock).advance(24 * 60 * 60 * 1000);
    const nextDay = new RefusingBen();
    await publishAll(nextDay, [anas]);
    assert.deepEqual(nextDay.told(), { maria: 1, ana: 1 });
  });

  it("finishes the batch when who was told cannot be recorded: they may only be told again", async () => {
    const notifier = new RefusingBen();
    const deliveries = h.stores.deliveries;
    const sink = harnessSink(h, notifier, {
      deliveries: {
        listBatch: (batchId) => deliveries.listBatch(batchId),
        record: (batchId, record) =>
          batchId.startsWith("unreachable-")
            ? Promise.reject(Object.assign(new Error("Service unavailable"), { statusCode: 503 }))
            : deliveries.record(batchId, record),
      },
    });
    const { events, batch } = await cardsToBen(anas);
    await sink.publish(events, batch);
    await sink.drain();
    assert.deepEqual(notifier.told(), { maria: 1, ana: 1 });
    assert.equal(await stillDue(batch.id), false, "the batch is done");
  });

  it("audits a refusal once when the batch runs again because its log row failed, later", async () => {
    const deliveries = h.stores.deliveries;
    const sink = harnessSink(h, new RefusingBen(), {
      deliveries: {
        listBatch: (batchId) => deliveries.listBatch(batchId),
        record: failingOnce(
          (batchId, record) => deliveries.record(batchId, record),
          (_, record) => record.status === "undeliverable",
          Object.assign(new Error("Service unavailable"), { statusCode: 503 }),
        ),
      },
    });
    const { events, batch } = await cardsToBen(anas);
    await sink.publish(events, batch);
    await sink.drain();
    (h.clock as FixedClock).advance(5 * 60 * 1000);
    await sink.replay(batch);

    assert.equal(await refusalsAudited(), 1);
    assert.equal(await stillDue(batch.id), false, "the batch is done");
  });

  it("audits and tells a refusal logged by a run that died before its audit row, when the batch runs again", async () => {
    const audit = h.stores.audit;
    const notifier = new RefusingBen();
    const sink = harnessSink(h, notifier, {
      audit: {
        query: (q) => audit.query(q),
        append: failingOnce(
          (rows) => audit.append(rows),
          (rows) => rows.some((r) => r.action === "notification.undeliverable"),
          new Error("the process died here"),
        ),
      },
    });
    const { events, batch } = await cardsToBen(anas);
    await sink.publish(events, batch);
    await sink.drain();
    assert.equal(await refusalsAudited(), 0, "logged as refused, not audited yet");
    assert.deepEqual(notifier.told(), {}, "nobody told yet");

    await sink.replay(batch);
    assert.equal(await refusalsAudited(), 1);
    assert.deepEqual(notifier.told(), { maria: 1, ana: 1 }, "told by the run again");
    await sink.replay(batch);
    assert.equal(await refusalsAudited(), 1, "a run again keeps one row");
    assert.deepEqual(notifier.told(), { maria: 1, ana: 1 }, "and tells nobody twice");
  });

  it("tells again when who was told cannot be read: told twice rather than never", async () => {
    await publishAll(new RefusingBen(), [anas]);
    const deliveries = h.stores.deliveries;
    const unreadable = new RefusingBen();
    const sink = harnessSink(h, unreadable, {
      deliveries: {
        listBatch: (batchId) =>
          batchId.startsWith("unreachable-")
            ? Promise.reject(Object.assign(new Error("Service unavailable"), { statusCode: 503 }))
            : deliveries.listBatch(batchId),
        record: (batchId, record) => deliveries.record(batchId, record),
      },
    });
    const { events, batch } = await cardsToBen(anas);
    await sink.publish(events, batch);
    await sink.drain();
    assert.deepEqual(unreadable.told(), { maria: 1, ana: 1 });
    assert.equal(await stillDue(batch.id), false, "the batch is done");
  });

  it("a notice that did not go out is sent at the next refusal", async () => {
    const notifier = new RefusingBen();
    notifier.failing.add("maria");
    const sink = harnessSink(h, notifier);
    const first = await cardsToBen(anas);
    await sink.publish(first.events, first.batch);
    await sink.drain();
    assert.deepEqual(notifier.told(), { ana: 1 });

    notifier.failing.delete("maria");
    const second = await cardsToBen(lolas);
    await sink.publish(second.events, second.batch);
    await sink.drain();
    assert.equal(notifier.told().maria, 1, "the owner hears of it now");
  });
});
