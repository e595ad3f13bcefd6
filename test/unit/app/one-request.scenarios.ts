/**
 * "One request, one assignment, whatever the clicks": races between submits, extensions, direct
 * and auto-assignment and a scheduled start, run against any stores (memory here, Azurite in
 * test/contract/one-request.azurite.test.ts).
 */
import { strict as assert } from "node:assert";
import type { FixedClock } from "../../../src/adapters/runtime/clock";
import { assignDirectly } from "../../../src/app/assign-directly";
import { cancelRequest } from "../../../src/app/cancel-request";
import { decideApproval } from "../../../src/app/decide-approval";
import type { AppDeps } from "../../../src/app/deps";
import { requestDeadlineHandlers } from "../../../src/app/handle-request-deadline";
import { addAutoAssignment } from "../../../src/app/lifecycle/auto-assignment-add";
import { requestExtension } from "../../../src/app/request-extension";
import { CLAIM_CREATION_GRACE_MS } from "../../../src/app/shared/claims";
import { submitRequest, type SubmitRequestInput } from "../../../src/app/submit-request";
import type { DomainError } from "../../../src/domain/errors";
import type { Claim } from "../../../src/ports/claims";
import {
  ACTIVE_ASSIGNMENT_STATES,
  type AssignmentPolicy,
  type GovernanceConfig,
} from "../../../src/domain/model";
import type { Result } from "../../../src/domain/result";
import type { RecordingEvents } from "../../support/recording";
import { config, NOW, twoStagePolicy } from "../domain/support/fixtures";
import type { MapProvisioner } from "./support/provisioner";
import { unwrap } from "./support/world";

export interface RaceWorld {
  deps: AppDeps;
  clock: FixedClock;
  provisioner: MapProvisioner;
  events: RecordingEvents;
}

/** A world over fresh stores holding `governance`: alice, her manager mark, olivia the catalog owner. */
export type MakeWorld = (governance: GovernanceConfig) => Promise<RaceWorld>;

const PKG = "pkg-analyst";

const selfService = (patch: Partial<AssignmentPolicy> = {}): AssignmentPolicy => ({
  ...twoStagePolicy(),
  approval: { required: false, stages: [] },
  ...patch,
});

const ask = (patch: Partial<SubmitRequestInput> = {}): SubmitRequestInput => ({
  actorId: "alice",
  packageId: PKG,
  justification: "Quarterly reporting",
  answers: {},
  source: "card:request.submit",
  ...patch,
});

const activeAssignments = async (deps: AppDeps) =>
  (await deps.assignments.listForUser("alice")).filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state));

const claimOf = (deps: AppDeps) => deps.claims.get({ userId: "alice", packageId: PKG, kind: "access" });

const refusals = <T>(results: Result<T>[]): DomainError[] => results.flatMap((r) => (r.ok ? [] : [r.error]));

/** The same store with some methods replaced (the rest still bound to it). */
function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, property, receiver) {
      if (property in overrides) return overrides[property as keyof T];
      const value: unknown = Reflect.get(t, property, receiver);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

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

  it("refuses a later second submit, naming the first, and leaves the approver one card's worth", async () => {
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

  it("gives the claim back when a request is denied or canceled, so the next one is a plain create", async () => {
    const w = await make(config());
    const first = unwrap(await submitRequest(w.deps, ask())).request;
    unwrap(
      await decideApproval(w.deps, {
        actorId: "mark",
        requestId: first.id,
        stage: 1,
        outcome: "deny",
        justification: "Not now",
        source: "card:approval",
      }),
    );
    assert.equal(await claimOf(w.deps), undefined);
    const second = unwrap(await submitRequest(w.deps, ask())).request;
    assert.deepEqual((await claimOf(w.deps))?.value.holder, { type: "request", id: second.id });
    unwrap(await cancelRequest(w.deps, { actorId: "alice", requestId: second.id, source: "card" }));
    assert.equal(await claimOf(w.deps), undefined);
  });

  it("takes over a claim left by a request that ended without giving it back", async () => {
    const w = await make(config());
    const denied = unwrap(await submitRequest(w.deps, ask())).request;
    unwrap(
      await decideApproval(w.deps, {
        actorId: "mark",
        requestId: denied.id,
        stage: 1,
        outcome: "deny",
        justification: "Not now",
        source: "card:approval",
      }),
    );
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
