/**
 * The claim of one open request or active assignment per person and package, over time: a late
 * second submit, a claim given back or left behind, a holder still being created. Run with the
 * one-request races against any stores.
 */
import { strict as assert } from "node:assert";
import { cancelRequest } from "../../../src/app/cancel-request";
import { CLAIM_CREATION_GRACE_MS } from "../../../src/app/shared/claims";
import { submitRequest } from "../../../src/app/submit-request";
import type { AssignmentPolicy } from "../../../src/domain/model";
import { config, NOW, twoStagePolicy } from "../domain/support/fixtures";
import { type MakeWorld, PKG, ask, claimOf, markDenies, overriding } from "./one-request.support";
import { unwrap } from "./support/world";

export function claimScenarios(make: MakeWorld): void {
  it("refuses a later second submit, naming the first, and keeps nothing of it (no card, no deadline)", async () => {
    const w = await make(config());
    const first = unwrap(await submitRequest(w.deps, ask())).request;
    const again = await submitRequest(w.deps, ask({ justification: "Asking again" }));
    assert.equal(!again.ok && again.error.code, "REQUEST.DUPLICATE");
    assert.equal(!again.ok && again.error.details?.requestId, first.id);
    const stored = await w.deps.requests.listForUser("alice");
    assert.deepEqual(
      stored.map((r) => r.id),
      [first.id],
    );
    const waiting = await w.deps.requests.listPendingForApprover("mark");
    assert.deepEqual(
      waiting.map((r) => r.id),
      [first.id],
    );
    // Its deadlines and journal item went back with its index rows: every due item is the first's.
    const due = await w.deps.due.listDue("2100-01-01T00:00:00.000Z", 1000);
    assert.ok(due.length > 0, "the first request has its deadlines");
    assert.deepEqual([...new Set(due.map((d) => d.value.subjectId.replace(/^request:/, "")))], [first.id]);
  });

  it("still refuses a late second submit when its deadlines cannot be taken back", async () => {
    const w = await make(config());
    const first = unwrap(await submitRequest(w.deps, ask())).request;
    const due = overriding(w.deps.due, {
      remove: () => Promise.reject(Object.assign(new Error("Server Busy"), { statusCode: 503 })),
    });
    const again = await submitRequest({ ...w.deps, due }, ask({ justification: "Asking again" }));
    assert.equal(!again.ok && again.error.code, "REQUEST.DUPLICATE");
    assert.equal(!again.ok && again.error.details?.requestId, first.id);
    assert.deepEqual(
      (await w.deps.requests.listForUser("alice")).map((r) => r.id),
      [first.id],
    );
  });

  it("calls a submit nobody could approve a duplicate while a request is open, and stores nothing", async () => {
    const w = await make(config());
    const first = unwrap(await submitRequest(w.deps, ask())).request;
    // Stage 1 now names a group nobody is in, with no fallback: a new request would be denied as it
    // is made, and so take no claim.
    const base = twoStagePolicy();
    const [stage1, stage2] = base.approval.stages;
    const nobody: AssignmentPolicy = {
      ...base,
      approval: {
        required: true,
        stages: [
          {
            ...stage1!,
            primaryApprovers: [{ kind: "groupMembers", groupId: "grp-nobody" }],
            fallbackApprovers: [],
          },
          stage2!,
        ],
      },
    };
    await w.deps.governance.save(config({ policies: [nobody] }));
    const again = await submitRequest(w.deps, ask());
    assert.equal(!again.ok && again.error.code, "REQUEST.DUPLICATE");
    assert.equal(!again.ok && again.error.details?.requestId, first.id);
    const stored = await w.deps.requests.listForUser("alice");
    assert.deepEqual(
      stored.map((r) => [r.id, r.state]),
      [[first.id, "pendingApproval"]],
    );
  });

  it("gives the claim back when a request is denied or canceled, so the next one is a plain create", async () => {
    const w = await make(config());
    const first = unwrap(await submitRequest(w.deps, ask())).request;
    unwrap(await markDenies(w.deps, first.id));
    assert.equal(await claimOf(w.deps), undefined);
    const second = unwrap(await submitRequest(w.deps, ask())).request;
    assert.deepEqual((await claimOf(w.deps))?.value.holder, { type: "request", id: second.id });
    unwrap(await cancelRequest(w.deps, { actorId: "alice", requestId: second.id, source: "card" }));
    assert.equal(await claimOf(w.deps), undefined);
  });

  it("takes over a claim left by a request that ended without giving it back", async () => {
    const w = await make(config());
    const denied = unwrap(await submitRequest(w.deps, ask())).request;
    unwrap(await markDenies(w.deps, denied.id));
    // As if the process died between saving the denial and releasing the claim.
    await w.deps.claims.create({
      userId: "alice",
      packageId: PKG,
      kind: "access",
      holder: { type: "request", id: denied.id },
      at: NOW,
    });
    const next = unwrap(await submitRequest(w.deps, ask())).request;
    assert.deepEqual((await claimOf(w.deps))?.value.holder, { type: "request", id: next.id });
  });

  it("waits for a claim's request being created, then lets a new one through once it was clearly lost", async () => {
    const w = await make(config());
    // As if the process died between taking the claim and storing its request.
    await w.deps.claims.create({
      userId: "alice",
      packageId: PKG,
      kind: "access",
      holder: { type: "request", id: "req_lost" },
      at: NOW,
    });
    const early = await submitRequest(w.deps, ask());
    assert.equal(!early.ok && early.error.code, "REQUEST.DUPLICATE");
    assert.equal(!early.ok && early.error.details?.requestId, "req_lost");

    w.clock.advance(CLAIM_CREATION_GRACE_MS + 1);
    const later = unwrap(await submitRequest(w.deps, ask())).request;
    assert.deepEqual((await claimOf(w.deps))?.value.holder, { type: "request", id: later.id });
    assert.equal((await w.deps.requests.listForUser("alice")).length, 1);
  });
}
