import { strict as assert } from "node:assert";
import { CachedDelegations, DELEGATIONS_STALE_MS } from "../../../src/adapters/cache/cached-delegations";
import { MemoryDelegationStore } from "../../../src/adapters/memory/delegation-store";
import { decideApproval } from "../../../src/app/decide-approval";
import { EFFECTS_GRACE_MINUTES } from "../../../src/app/shared/journal";
import type { Delegation } from "../../../src/domain/delegation/delegation";
import { NOW } from "../domain/support/fixtures";
import { aliceAsksForAnalyst, unwrap, world } from "./support/world";

const delegation = (approverId: string, delegateId: string): Delegation => ({
  approverId,
  delegateId,
  until: "2026-12-20T00:00:00.000Z",
  createdAt: NOW,
});

/** The inner store with its reads counted: what would be storage requests. */
function counted() {
  const inner = new MemoryDelegationStore();
  const reads = { list: 0, listForDelegate: 0, get: 0 };
  const store = Object.assign(Object.create(inner) as MemoryDelegationStore, {
    list: () => ((reads.list += 1), inner.list()),
    listForDelegate: (id: string) => ((reads.listForDelegate += 1), inner.listForDelegate(id)),
    get: (id: string) => ((reads.get += 1), inner.get(id)),
  });
  let now = 1_000_000;
  const cached = new CachedDelegations(store, DELEGATIONS_STALE_MS, () => now);
  return { inner, reads, cached, later: (ms: number) => (now += ms) };
}

describe("delegations cached per process", () => {
  it("answers who delegated from one read of the table until the copy is stale", async () => {
    const { inner, reads, cached, later } = counted();
    await inner.put(delegation("mark", "fiona"));
    assert.equal((await cached.list()).length, 1);
    assert.deepEqual(
      (await cached.listForDelegate("fiona")).map((d) => d.approverId),
      ["mark"],
    );
    assert.deepEqual(await cached.listForDelegate("sue"), []);
    assert.equal(reads.list, 1);
    later(DELEGATIONS_STALE_MS);
    await cached.list();
    assert.equal(reads.list, 2);
  });

  it("sees its own change at once and another instance's within the stale time", async () => {
    const { inner, cached, later } = counted();
    assert.deepEqual(await cached.list(), []);
    await cached.put(delegation("mark", "fiona"));
    assert.equal((await cached.listForDelegate("fiona")).length, 1, "its own change");
    await inner.put(delegation("sue", "fiona"));
    assert.equal((await cached.listForDelegate("fiona")).length, 1, "another instance's, not yet");
    later(DELEGATIONS_STALE_MS - 1);
    assert.equal((await cached.listForDelegate("fiona")).length, 1);
    later(1);
    assert.equal((await cached.listForDelegate("fiona")).length, 2, "another instance's, within the bound");
    await cached.remove("mark");
    assert.deepEqual(
      (await cached.list()).map((d) => d.approverId),
      ["sue"],
    );
  });

  it("reads storage for `get` and for fresh reads, and never keeps a failed read", async () => {
    const { inner, reads, cached } = counted();
    await cached.list();
    await inner.put(delegation("mark", "fiona"));
    assert.equal((await cached.get("mark"))?.delegateId, "fiona");
    assert.equal((await cached.listForDelegate("fiona", { fresh: true })).length, 1);
    assert.equal((await cached.list({ fresh: true })).length, 1);
    assert.deepEqual(reads, { list: 2, listForDelegate: 1, get: 1 });

    let fail = true;
    const flaky = Object.assign(Object.create(inner) as MemoryDelegationStore, {
      list: () => (fail ? Promise.reject(new Error("storage down")) : inner.list()),
    });
    const store = new CachedDelegations(flaky);
    await assert.rejects(store.list(), /storage down/);
    fail = false;
    assert.equal((await store.list()).length, 1);
  });

  it("hands out copies: a caller changing one changes nothing for the next", async () => {
    const { inner, cached } = counted();
    await inner.put(delegation("mark", "fiona"));
    (await cached.list())[0]!.delegateId = "mallory";
    assert.equal((await cached.list())[0]!.delegateId, "fiona");
  });

  it("is stale for less time than journaled effects wait before they run again", () => {
    // A replayed ApprovalsDelegated batch must find the delegation it follows on any instance.
    assert.ok(DELEGATIONS_STALE_MS < EFFECTS_GRACE_MINUTES * 60_000);
  });
});

describe("deciding for someone with delegations cached", () => {
  /** A world whose use cases read delegations through the cache; `storage` is what another instance writes. */
  async function setup() {
    const w = world();
    const storage = w.stores.delegations;
    w.deps.delegations = new CachedDelegations(storage);
    const request = await aliceAsksForAnalyst(w.deps);
    const decide = (actorId: string) =>
      decideApproval(w.deps, {
        actorId,
        requestId: request.id,
        stage: 1,
        outcome: "approve",
        justification: "Covering",
        source: "card:approval",
      });
    return { w, storage, decide };
  }

  it("lets a delegate decide at once when the delegation started on another instance", async () => {
    const { w, storage, decide } = await setup();
    assert.deepEqual(await w.deps.delegations!.list(), [], "the copy knows no delegation");
    await storage.put(delegation("mark", "fiona"));
    const decided = unwrap(await decide("fiona"));
    assert.equal(decided.request.stages[0]!.decision?.by, "fiona");
    assert.equal(decided.request.stages[0]!.decision?.onBehalfOf, "mark");
  });

  it("refuses a delegate whose delegation was stopped on another instance, whatever the copy says", async () => {
    const { w, storage, decide } = await setup();
    await w.deps.delegations!.put(delegation("mark", "fiona"));
    assert.equal((await w.deps.delegations!.listForDelegate("fiona")).length, 1, "the copy has it");
    await storage.remove("mark");
    const refused = await decide("fiona");
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, "APPROVAL.NOT_AN_APPROVER");
    const stored = (await w.deps.requests.get(unwrap(await decide("mark")).request.id))!.value;
    assert.equal(stored.stages[0]!.decision?.by, "mark");
  });
});
