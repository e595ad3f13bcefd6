import { strict as assert } from "node:assert";
import { submitRequest } from "../../../src/app/submit-request";
import { removeAssignment } from "../../../src/app/remove-assignment";
import { expiryHandler } from "../../../src/app/lifecycle/expiry";
import { removalRetryHandler, retryRemoval } from "../../../src/app/removal/retry-removal";
import { removeAssignment as removeTransition } from "../../../src/domain/assignment/lifecycle";
import type { Assignment, AssignmentPolicy } from "../../../src/domain/model";
import type { ProvisioningOutcome } from "../../../src/ports/provisioner";
import { accessPackage, config, twoStagePolicy } from "../domain/support/fixtures";
import { bi, sap } from "../domain/support/assignments";
import { unwrap, world } from "./support/world";

type W = ReturnType<typeof open>;

const policy: AssignmentPolicy = {
  ...twoStagePolicy({ id: "pol-a", packageId: "pkg-analyst" }),
  approval: { required: false, stages: [] },
};
const open = () => world(config({ packages: [accessPackage()], policies: [policy] }));
const throttled = (retryAfterMs?: number): ProvisioningOutcome => ({
  status: "failed",
  retryable: true,
  error: "429 Too Many Requests",
  ...(retryAfterMs ? { retryAfterMs } : {}),
});
const forbidden: ProvisioningOutcome = { status: "failed", retryable: false, error: "403 Forbidden" };

async function holding(w: W): Promise<Assignment> {
  const submitted = unwrap(
    await submitRequest(w.deps, {
      actorId: "alice",
      packageId: "pkg-analyst",
      justification: "Work",
      answers: {},
      source: "t",
    }),
  );
  await submitted.followUp;
  const id = (await w.deps.requests.get(submitted.request.id))!.value.assignmentId!;
  assert.ok(w.provisioner.has("alice", sap));
  return (await w.deps.assignments.get(id))!.value;
}

const removeIt = async (w: W, a: Assignment) =>
  unwrap(
    await removeAssignment(w.deps, {
      actorId: "alice",
      as: "user",
      assignmentId: a.id,
      reason: "",
      source: "t",
    }),
  );

const stored = async (w: W, id: string) => (await w.deps.assignments.get(id))!.value;

/** Runs every removalRetry deadline due by then (the clock moves to each), as the scheduler would. */
async function sweepRemovals(w: W, until: string): Promise<void> {
  for (;;) {
    const due = (await w.deps.due.listDue(until, 50)).find((d) => d.value.kind === "removalRetry");
    if (!due) return;
    if (due.value.dueAt > w.clock.now().toISOString()) w.clock.set(due.value.dueAt);
    await removalRetryHandler(w.deps, due.value);
    await w.deps.due.complete(due);
  }
}

const audited = async (w: W, action: string) =>
  (await w.deps.audit.query({ limit: 500 })).filter((e) => e.action === action);

describe("a failed removal is retried, then shown as removal failed", () => {
  it("retries a throttled revoke no sooner than its Retry-After, then completes", async () => {
    const w = open();
    const a = await holding(w);
    w.provisioner.failNext("SAP", throttled(120_000));
    const removed = await removeIt(w, a);
    assert.equal(removed.state, "removed");
    assert.equal(removed.removal?.status, "removing");
    assert.equal(
      removed.removal?.nextAttemptAt,
      "2026-11-23T10:02:00.000Z",
      "Retry-After beats the 1 min backoff",
    );
    assert.ok(w.provisioner.has("alice", sap), "the access is still there");
    assert.ok(!w.provisioner.has("alice", bi), "what could go went");

    // Early: the retry is not due yet, nothing is called.
    const calls = w.provisioner.log.length;
    w.clock.set("2026-11-23T10:01:00.000Z");
    await removalRetryHandler(w.deps, {
      kind: "removalRetry",
      dueAt: "",
      subjectId: a.id,
      discriminator: "retry",
    });
    assert.equal(w.provisioner.log.length, calls);

    await sweepRemovals(w, "2026-11-23T11:00:00.000Z");
    const done = await stored(w, a.id);
    assert.equal(done.removal?.status, "completed");
    assert.ok(!w.provisioner.has("alice", sap));
    assert.deepEqual(w.events.ofType("RemovalCompleted"), [{ type: "RemovalCompleted", assignmentId: a.id }]);
    assert.equal((await audited(w, "assignment.removalCompleted")).length, 1);
  });

  it("backs off exponentially and after the budget is 'removal failed', told once, retried no more", async () => {
    const w = open();
    const a = await holding(w);
    w.provisioner.failNext("SAP", ...Array.from({ length: 6 }, () => throttled()));
    await removeIt(w, a);
    const waits: number[] = [];
    let last = w.clock.now().getTime();
    for (let i = 0; i < 5; i++) {
      const next = (await stored(w, a.id)).removal!.nextAttemptAt!;
      waits.push((new Date(next).getTime() - last) / 60_000);
      last = new Date(next).getTime();
      w.clock.set(next);
      await removalRetryHandler(w.deps, {
        kind: "removalRetry",
        dueAt: next,
        subjectId: a.id,
        discriminator: "retry",
      });
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16], "minutes between tries");
    const failed = await stored(w, a.id);
    assert.equal(failed.removal?.status, "removalFailed");
    assert.equal(failed.removal?.attempts, 6);
    assert.ok(w.provisioner.has("alice", sap));
    assert.equal(w.events.ofType("RemovalFailed").length, 1);
    assert.equal((await audited(w, "assignment.removalFailed")).length, 1);

    const calls = w.provisioner.log.length;
    await sweepRemovals(w, "2026-11-24T10:00:00.000Z");
    assert.equal(w.provisioner.log.length, calls, "the scheduler leaves it to a catalog owner");
  });

  it("fails at once on a revoke that asking again will not change", async () => {
    const w = open();
    const a = await holding(w);
    w.provisioner.failNext("SAP", forbidden);
    const removed = await removeIt(w, a);
    assert.equal(removed.removal?.status, "removalFailed");
    assert.equal(removed.removal?.lastError, "403 Forbidden");
    assert.equal(w.events.ofType("RemovalFailed")[0]?.error, "403 Forbidden");
  });

  it("keeps an expired assignment's revokes retrying when the first attempt fails", async () => {
    const w = open();
    const a = await holding(w);
    w.provisioner.failNext("SAP", throttled());
    w.clock.set(a.endAt!);
    await expiryHandler(w.deps, { kind: "expiry", dueAt: a.endAt!, subjectId: a.id, discriminator: "end" });
    const expired = await stored(w, a.id);
    assert.equal(expired.state, "expired");
    assert.equal(expired.removal?.status, "removing");
    await sweepRemovals(w, "2027-01-01T00:00:00.000Z");
    assert.equal((await stored(w, a.id)).removal?.status, "completed");
    assert.ok(!w.provisioner.has("alice", sap));
  });

  it("resumes revokes a crash left undone, from the safety deadline set with the end", async () => {
    const w = open();
    const a = await holding(w);
    // The end was saved, then the process died before any revoke.
    const ended = unwrap(
      removeTransition(a, { kind: "system" }, { now: w.clock.now().toISOString(), policy, reason: "" }),
    );
    await w.deps.due.schedule(ended.deadlines);
    const { etag } = (await w.deps.assignments.get(a.id))!;
    await w.deps.assignments.update(ended.next, etag);
    assert.deepEqual(
      ended.deadlines.map((d) => [d.kind, d.discriminator]),
      [["removalRetry", "safety"]],
    );
    await sweepRemovals(w, "2026-11-23T11:00:00.000Z");
    assert.ok(!w.provisioner.has("alice", sap) && !w.provisioner.has("alice", bi));
    assert.equal(w.events.ofType("RemovalCompleted").length, 1, "the holder is told now");
  });
});

describe("a catalog owner's Retry", () => {
  async function failedRemoval(w: W): Promise<Assignment> {
    const a = await holding(w);
    w.provisioner.failNext("SAP", forbidden);
    return removeIt(w, a);
  }

  it("is refused (and audited) for anyone but a catalog owner", async () => {
    const w = open();
    const a = await failedRemoval(w);
    const refused = await retryRemoval(w.deps, { actorId: "alice", assignmentId: a.id, source: "t" });
    assert.equal(!refused.ok && refused.error.code, "ASSIGNMENT.NOT_CATALOG_OWNER");
    assert.equal((await audited(w, "cardAction.refused")).length, 1);
    assert.ok(w.provisioner.has("alice", sap));
  });

  it("takes the access away with a fresh budget and audits who retried", async () => {
    const w = open();
    const a = await failedRemoval(w);
    const done = unwrap(await retryRemoval(w.deps, { actorId: "olivia", assignmentId: a.id, source: "t" }));
    assert.equal(done.removal?.status, "completed");
    assert.ok(!w.provisioner.has("alice", sap));
    const retried = await audited(w, "assignment.removalRetried");
    assert.deepEqual(
      retried.map((e) => e.actor),
      ["olivia"],
    );
    assert.equal(w.events.ofType("RemovalCompleted").length, 1);
  });

  it("that fails again stays 'removal failed' and names the owner who retried", async () => {
    const w = open();
    const a = await failedRemoval(w);
    w.provisioner.failNext("SAP", forbidden);
    const again = unwrap(await retryRemoval(w.deps, { actorId: "olivia", assignmentId: a.id, source: "t" }));
    assert.equal(again.removal?.status, "removalFailed");
    assert.deepEqual(
      w.events.ofType("RemovalFailed").map((e) => e.retriedBy),
      [undefined, "olivia"],
    );
  });

  it("on access that is still active is refused", async () => {
    const w = open();
    const a = await holding(w);
    const refused = await retryRemoval(w.deps, { actorId: "olivia", assignmentId: a.id, source: "t" });
    assert.equal(!refused.ok && refused.error.code, "ASSIGNMENT.STILL_ACTIVE");
  });
});
