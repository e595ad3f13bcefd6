import assert from "node:assert/strict";
import { applyEffects, auditRow } from "../../../src/app/shared/effects";
import { newBatch } from "../../../src/app/shared/journal";
import type { DomainEvent } from "../../../src/domain/model";
import { type Harness, createHarness } from "../../bot/support/harness";

describe("a step's audit rows after its answer", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });

  const event: DomainEvent = { type: "RequestCanceled", requestId: "req-1", by: "ana", reason: "Not needed" };
  const ctx = { actor: "ana", source: "test", targetUserId: "ana" } as const;
  const rowsOf = () => h.stores.audit.query({ subject: "request:req-1" });

  /** Holds the audit writes until released, to see what the use case waited for. */
  function holdAuditWrites() {
    const append = h.stores.audit.append.bind(h.stores.audit);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    h.stores.audit.append = async (entries) => {
      await held;
      return append(entries);
    };
    return release;
  }

  it("follow the answer when the journal holds every one of them", async () => {
    const deps = h.bot.deps;
    assert.equal(deps.auditAfterAnswer, true, "the bot's deps answer first");
    const release = holdAuditWrites();
    const batch = newBatch(deps, { kind: "request", id: "req-1" }, [event]);
    await h.stores.due.schedule([batch.item]);
    await applyEffects(deps, { events: [event], deadlines: [], batch }, ctx);
    assert.deepEqual(await rowsOf(), [], "returned before the row was written");
    release();
    await h.bot.events.drain();
    assert.equal((await rowsOf()).length, 1);
  });

  it("are written before the answer when one of them is not in the journal", async () => {
    const deps = h.bot.deps;
    const batch = newBatch(deps, { kind: "request", id: "req-1" }, [event]);
    await h.stores.due.schedule([batch.item]);
    const extra = auditRow(deps, {
      actor: "ana",
      action: "request.canceled",
      subject: "request:req-1",
      source: "test",
    });
    const release = holdAuditWrites();
    let returned = false;
    const applying = applyEffects(deps, { events: [event], deadlines: [], batch }, ctx, () => [extra]).then(
      () => (returned = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(returned, false, "waits for the rows");
    release();
    await applying;
    assert.equal((await rowsOf()).length, 2, "both rows are in when the use case returns");
    await h.bot.events.drain();
  });
});
