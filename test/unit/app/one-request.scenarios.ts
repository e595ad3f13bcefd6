/**
 * "One request, one assignment, whatever the clicks": races between submits, extensions, direct
 * and auto-assignment and a scheduled start, run against any stores (memory here, Azurite in
 * test/contract/one-request.azurite.test.ts).
 */
import { strict as assert } from "node:assert";
import { assignDirectly } from "../../../src/app/assign-directly";
import type { AppDeps } from "../../../src/app/deps";
import { requestDeadlineHandlers } from "../../../src/app/handle-request-deadline";
import { addAutoAssignment } from "../../../src/app/lifecycle/auto-assignment-add";
import { requestExtension } from "../../../src/app/request-extension";
import { submitRequest } from "../../../src/app/submit-request";
import type { AssignmentPolicy } from "../../../src/domain/model";
import type { Claim } from "../../../src/ports/claims";
import { config, twoStagePolicy } from "../domain/support/fixtures";
import { claimScenarios } from "./claim.scenarios";
import {
  type MakeWorld,
  PKG,
  activeAssignments,
  ask,
  claimOf,
  overriding,
  refusals,
  selfService,
} from "./one-request.support";
import { unwrap } from "./support/world";

export type { MakeWorld, RaceWorld } from "./one-request.support";

export function oneRequestScenarios(make: MakeWorld): void {
  it("stores one request of ten submits at the same moment; the others are told which", async () => {
    const w = await make(config());
    const results = await Promise.all(Array.from({ length: 10 }, () => submitRequest(w.deps, ask())));
    const stored = await w.deps.requests.listForUser("alice");
    assert.equal(stored.length, 1, `requests: ${stored.map((r) => r.id).join(", ")}`);
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const refusal of refusals(results)) {
      assert.equal(refusal.code, "REQUEST.DUPLICATE");
      assert.equal(refusal.details?.requestId, stored[0]!.id);
    }
    assert.deepEqual((await claimOf(w.deps))?.value.holder, { type: "request", id: stored[0]!.id });
  });

  it("grants once, with one assignment and one announcement, when a self-service submit is clicked twice", async () => {
    const w = await make(config({ policies: [selfService()] }));
    const results = await Promise.all([submitRequest(w.deps, ask()), submitRequest(w.deps, ask())]);
    await Promise.all(results.map((r) => (r.ok ? r.value.followUp : undefined)));
    const active = await activeAssignments(w.deps);
    assert.equal(active.length, 1);
    assert.equal(w.events.ofType("AssignmentDelivered").length, 1);
    assert.equal(w.provisioner.log.filter((op) => op.action === "grant").length, 2, "BI users and SAP, once");
    assert.deepEqual((await claimOf(w.deps))?.value.holder, { type: "assignment", id: active[0]!.id });
    const again = await submitRequest(w.deps, ask());
    assert.equal(!again.ok && again.error.code, "REQUEST.ALREADY_ASSIGNED");
  });

  it("makes one extension request of a double-clicked Extend, and the second click names it", async () => {
    const base = twoStagePolicy();
    const withApproval: AssignmentPolicy = {
      ...base,
      lifecycle: { ...base.lifecycle, extension: { allowed: true, requiresApproval: true } },
    };
    const w = await make(
      config({ policies: [{ ...withApproval, approval: { required: false, stages: [] } }] }),
    );
    const submitted = unwrap(await submitRequest(w.deps, ask()));
    await submitted.followUp;
    const [assignment] = await activeAssignments(w.deps);
    await w.deps.governance.save(config({ policies: [withApproval] }));
    w.clock.set("2026-12-20T10:00:00.000Z");
    const extend = () =>
      requestExtension(w.deps, {
        actorId: "alice",
        assignmentId: assignment!.id,
        justification: "Year-end close",
        source: "card:assignment.extend",
      });
    const results = await Promise.all([extend(), extend()]);
    const extensions = (await w.deps.requests.listForUser("alice")).filter((r) => r.type === "userExtend");
    assert.equal(extensions.length, 1);
    const [refusal] = refusals(results);
    assert.equal(refusal?.code, "REQUEST.DUPLICATE");
    assert.equal(refusal?.details?.requestId, extensions[0]!.id);
  });

  it("assigns directly once when an owner adds the same person twice at once, and says she has it", async () => {
    const w = await make(config());
    const add = () =>
      assignDirectly(w.deps, {
        actorId: "olivia",
        userId: "alice",
        packageId: PKG,
        reason: "Month-end close",
        source: "chat:command",
      });
    const results = await Promise.all([add(), add()]);
    assert.equal((await activeAssignments(w.deps)).length, 1);
    assert.equal(results.filter((r) => r.ok).length, 1);
    const [refusal] = refusals(results);
    assert.ok(
      refusal?.code === "REQUEST.DUPLICATE" || refusal?.code === "REQUEST.ALREADY_ASSIGNED",
      JSON.stringify(refusal),
    );
    assert.match(refusal.message, /^Alice already has /);
    const third = await add();
    assert.equal(!third.ok && third.error.code, "REQUEST.ALREADY_ASSIGNED");
    assert.equal(!third.ok && third.error.message, "Alice already has this access package.");
  });

  it("adds nothing by auto-assignment while a request for the package is being submitted", async () => {
    const policy = selfService();
    const w = await make(config({ policies: [policy] }));
    const [auto, asked] = await Promise.all([
      addAutoAssignment(w.deps, policy, "alice"),
      submitRequest(w.deps, ask()),
    ]);
    if (asked.ok) await asked.value.followUp;
    assert.equal((await activeAssignments(w.deps)).length, 1);
    assert.equal(auto.added !== asked.ok, true, "exactly one of them got it");
  });

  it("refuses a request racing a scheduled start: the start's assignment holds the claim", async () => {
    const base = selfService();
    const w = await make(
      config({ policies: [{ ...base, request: { ...base.request, requesterSchedule: true } }] }),
    );
    const startAt = "2026-11-30T09:00:00.000Z";
    const scheduled = unwrap(await submitRequest(w.deps, ask({ schedule: { startAt } }))).request;
    assert.equal(scheduled.state, "scheduled");
    const start = (await w.deps.due.listDue("2027-01-01T00:00:00.000Z", 20)).find(
      (d) => d.value.kind === "scheduledStart",
    )!;
    w.clock.set(startAt);

    // The second submit has passed its checks (the first request is still open, the start has not
    // delivered) when it comes to take the claim; the claim is created only once the start is done.
    let claiming!: () => void;
    const atClaim = new Promise<void>((resolve) => (claiming = resolve));
    let started!: () => void;
    const startDone = new Promise<void>((resolve) => (started = resolve));
    const lagging: AppDeps = {
      ...w.deps,
      claims: overriding(w.deps.claims, {
        create: async (claim: Claim) => {
          claiming();
          await startDone;
          return w.deps.claims.create(claim);
        },
      }),
    };
    const racing = submitRequest(lagging, ask());
    await atClaim;
    await requestDeadlineHandlers.scheduledStart!(w.deps, start.value);
    started();
    const result = await racing;
    if (result.ok) await result.value.followUp;

    assert.equal(!result.ok && result.error.code, "REQUEST.ALREADY_ASSIGNED");
    assert.equal((await w.deps.requests.get(scheduled.id))!.value.state, "delivered");
    assert.equal((await activeAssignments(w.deps)).length, 1);
  });

  claimScenarios(make);
}
