import { strict as assert } from "node:assert";
import { submitRequest, type SubmitRequestInput } from "../../../src/app/submit-request";
import { removeAssignment } from "../../../src/app/remove-assignment";
import { requestExtension } from "../../../src/app/request-extension";
import { decideApproval } from "../../../src/app/decide-approval";
import { cancelRequest } from "../../../src/app/cancel-request";
import { reprocessAssignment } from "../../../src/app/reprocess-assignment";
import { listRequestable, describePackage } from "../../../src/app/list-requestable";
import { requestDeadlineHandlers } from "../../../src/app/handle-request-deadline";
import type { AccessPackage, AssignmentPolicy } from "../../../src/domain/model";
import { accessPackage, config, twoStagePolicy } from "../domain/support/fixtures";
import { bi, sap } from "../domain/support/assignments";
import { unwrap, world } from "./support/world";

const selfService = (
  id: string,
  packageId: string,
  patch: Partial<AssignmentPolicy> = {},
): AssignmentPolicy => ({
  ...twoStagePolicy({ id, packageId }),
  approval: { required: false, stages: [] },
  ...patch,
});
const reporting: AccessPackage = accessPackage({
  id: "pkg-reporting",
  name: "Reporting",
  resourceRoles: [bi],
});
const payer = accessPackage({
  id: "pkg-payer",
  name: "Payment Creator",
  resourceRoles: [sap],
  incompatiblePackageIds: ["pkg-analyst"],
});
const open = () =>
  world(
    config({
      packages: [accessPackage(), reporting, payer],
      policies: [
        selfService("pol-a", "pkg-analyst"),
        selfService("pol-r", "pkg-reporting"),
        selfService("pol-p", "pkg-payer"),
      ],
    }),
  );
const ask = (packageId: string, patch: Partial<SubmitRequestInput> = {}): SubmitRequestInput => ({
  actorId: "alice",
  packageId,
  justification: "Work",
  answers: {},
  source: "chat:command",
  ...patch,
});

async function granted(w: ReturnType<typeof open>, packageId: string) {
  const submitted = unwrap(await submitRequest(w.deps, ask(packageId)));
  await submitted.followUp;
  return (await w.deps.requests.get(submitted.request.id))!.value;
}

describe("access without approval, separation of duties and removal", () => {
  it("delivers at once when the policy needs no approval", async () => {
    const w = open();
    const req = await granted(w, "pkg-analyst");
    assert.equal(req.state, "delivered");
    assert.ok(w.provisioner.has("alice", bi));
  });

  it("refuses a package incompatible with access the user holds, naming it", async () => {
    const w = open();
    await granted(w, "pkg-analyst");
    const result = await submitRequest(w.deps, ask("pkg-payer"));
    assert.ok(!result.ok);
    assert.equal(result.error.code, "SOD.CONFLICT");
    assert.match(result.error.message, /Business Analyst/);
    assert.equal((await w.deps.audit.query({ subject: "package:pkg-payer" }))[0]!.action, "request.refused");
  });

  it("tells of a separation-of-duties conflict when the package is shown, before any form", async () => {
    const w = open();
    assert.ok((await describePackage(w.deps, "pkg-payer", "alice")).ok);
    await granted(w, "pkg-analyst");
    const described = await describePackage(w.deps, "pkg-payer", "alice");
    assert.ok(!described.ok);
    assert.equal(described.error.code, "SOD.CONFLICT");
    assert.match(described.error.message, /Business Analyst/);
  });

  it("refuses a second request for a package already held", async () => {
    const w = open();
    await granted(w, "pkg-analyst");
    const result = await submitRequest(w.deps, ask("pkg-analyst"));
    assert.equal(!result.ok && result.error.code, "REQUEST.ALREADY_ASSIGNED");
  });

  it("keeps a group another assignment still grants when one assignment is removed", async () => {
    const w = open();
    const analyst = await granted(w, "pkg-analyst");
    await granted(w, "pkg-reporting");
    const removed = unwrap(
      await removeAssignment(w.deps, {
        actorId: "alice",
        as: "user",
        assignmentId: analyst.assignmentId!,
        reason: "Done",
        source: "chat:command",
      }),
    );
    assert.equal(removed.state, "removed");
    assert.ok(w.provisioner.has("alice", bi), "the reporting package still grants BI users");
    assert.ok(!w.provisioner.has("alice", sap));
  });

  it("never revokes what the user held before the assignment", async () => {
    const w = open();
    w.provisioner.give("alice", sap);
    const analyst = await granted(w, "pkg-analyst");
    unwrap(
      await removeAssignment(w.deps, {
        actorId: "system",
        as: "system",
        assignmentId: analyst.assignmentId!,
        reason: "",
        source: "scheduler",
      }),
    );
    assert.ok(w.provisioner.has("alice", sap));
    assert.ok(!w.provisioner.has("alice", bi));
  });

  it("refuses removal by someone who is neither the user nor a catalog owner", async () => {
    const w = open();
    const analyst = await granted(w, "pkg-analyst");
    const result = await removeAssignment(w.deps, {
      actorId: "mark",
      as: "admin",
      assignmentId: analyst.assignmentId!,
      reason: "",
      source: "t",
    });
    assert.equal(!result.ok && result.error.code, "ASSIGNMENT.REMOVAL_NOT_ALLOWED");
  });
});

describe("delivery retries", () => {
  it("retries a transient failure from the deliveryRetry deadline and completes", async () => {
    const w = open();
    w.provisioner.failNext("SAP", { status: "failed", retryable: true, error: "503", retryAfterMs: 1000 });
    const req = await granted(w, "pkg-analyst");
    assert.equal(req.state, "partiallyDelivered");
    const due = await w.deps.due.listDue("2026-11-23T10:05:00.000Z", 10);
    const retry = due.find((d) => d.value.kind === "deliveryRetry" && d.value.discriminator === "grant");
    assert.ok(retry, "a retry is scheduled");
    w.clock.set(retry.value.dueAt);
    await requestDeadlineHandlers.deliveryRetry!(w.deps, retry.value);
    assert.equal((await w.deps.requests.get(req.id))!.value.state, "delivered");
    assert.ok(w.provisioner.has("alice", sap));
  });

  it("lets a catalog owner reprocess a failed delivery at once", async () => {
    const w = open();
    w.provisioner.failNext("BI users", { status: "failed", retryable: false, error: "404" });
    const req = await granted(w, "pkg-reporting");
    assert.equal(req.state, "deliveryFailed");
    const denied = await reprocessAssignment(w.deps, {
      actorId: "alice",
      assignmentId: req.assignmentId!,
      source: "t",
    });
    assert.equal(!denied.ok && denied.error.code, "ASSIGNMENT.NOT_CATALOG_OWNER");
    const done = unwrap(
      await reprocessAssignment(w.deps, { actorId: "olivia", assignmentId: req.assignmentId!, source: "t" }),
    );
    assert.equal(done.request.state, "delivered");
  });
});

describe("request deadlines", () => {
  it("expires a request nobody decided within the window, and ignores the stale reminder after", async () => {
    const w = world();
    const req = unwrap(await submitRequest(w.deps, ask("pkg-analyst"))).request;
    const items = (await w.deps.due.listDue("2027-01-01T00:00:00.000Z", 10)).map((d) => d.value);
    const windowEnd = items.find((d) => d.kind === "decisionWindowEnd")!;
    w.clock.set(windowEnd.dueAt);
    await requestDeadlineHandlers.decisionWindowEnd!(w.deps, windowEnd);
    const expired = (await w.deps.requests.get(req.id))!.value;
    assert.equal(expired.state, "expired");
    assert.equal(expired.stages[0]!.decision?.by, "system");
    await requestDeadlineHandlers.approvalReminder!(
      w.deps,
      items.find((d) => d.kind === "approvalReminder")!,
    );
    assert.equal((await w.deps.requests.get(req.id))!.value.revision, expired.revision);
  });

  it("delivers at the scheduled start, with the safety net stored should that run die", async () => {
    const base = selfService("pol-a", "pkg-analyst");
    const w = world(
      config({ policies: [{ ...base, request: { ...base.request, requesterSchedule: true } }] }),
    );
    const startAt = "2026-11-30T09:00:00.000Z";
    const req = unwrap(await submitRequest(w.deps, ask("pkg-analyst", { schedule: { startAt } }))).request;
    assert.equal(req.state, "scheduled");
    const due = (await w.deps.due.listDue("2027-01-01T00:00:00.000Z", 10)).map((d) => d.value);
    const start = due.find((d) => d.kind === "scheduledStart")!;
    w.clock.set(startAt);
    await requestDeadlineHandlers.scheduledStart!(w.deps, start);
    assert.equal((await w.deps.requests.get(req.id))!.value.state, "delivered");
    assert.ok(w.provisioner.has("alice", bi) && w.provisioner.has("alice", sap));
    const after = (await w.deps.due.listDue("2027-01-01T00:00:00.000Z", 20)).map((d) => d.value);
    assert.ok(after.some((d) => d.kind === "deliveryRetry" && d.discriminator === "safety"));
  });

  it("reminds the approvers at the window's midpoint", async () => {
    const w = world();
    unwrap(await submitRequest(w.deps, ask("pkg-analyst")));
    const reminder = (await w.deps.due.listDue("2027-01-01T00:00:00.000Z", 10)).find(
      (d) => d.value.kind === "approvalReminder",
    )!;
    assert.equal(reminder.value.dueAt, "2026-11-30T10:00:00.000Z");
    w.clock.set(reminder.value.dueAt);
    await requestDeadlineHandlers.approvalReminder!(w.deps, reminder.value);
    assert.ok(w.events.types().includes("ApproversReminded"));
  });
});

describe("cancel, extension and the list of requestable packages", () => {
  it("lets the requester cancel while pending, and nobody else", async () => {
    const w = world();
    const req = unwrap(await submitRequest(w.deps, ask("pkg-analyst"))).request;
    const other = await cancelRequest(w.deps, { actorId: "mark", requestId: req.id, source: "t" });
    assert.equal(!other.ok && other.error.code, "REQUEST.NOT_YOURS");
    assert.equal(
      unwrap(await cancelRequest(w.deps, { actorId: "alice", requestId: req.id, source: "t" })).state,
      "canceled",
    );
  });

  it("extends access at once when the policy needs no approval for it", async () => {
    const w = open();
    const req = await granted(w, "pkg-analyst");
    w.clock.set("2026-12-20T10:00:00.000Z");
    const outcome = unwrap(
      await requestExtension(w.deps, {
        actorId: "alice",
        assignmentId: req.assignmentId!,
        justification: "More",
        source: "t",
      }),
    );
    assert.equal(outcome.kind === "extended" && outcome.assignment.endAt, "2027-01-19T10:00:00.000Z");
  });

  it("sends an extension through approval when the policy wants it, then extends", async () => {
    const base = twoStagePolicy();
    const policy: AssignmentPolicy = {
      ...base,
      lifecycle: { ...base.lifecycle, extension: { allowed: true, requiresApproval: true } },
    };
    const w = world(config({ policies: [{ ...policy, approval: { required: false, stages: [] } }] }));
    const req = await granted(w as ReturnType<typeof open>, "pkg-analyst");
    await w.deps.governance.save(config({ policies: [policy] }));
    w.clock.set("2026-12-20T10:00:00.000Z");
    const outcome = unwrap(
      await requestExtension(w.deps, {
        actorId: "alice",
        assignmentId: req.assignmentId!,
        justification: "More",
        source: "t",
      }),
    );
    assert.ok(outcome.kind === "requested");
    assert.deepEqual(
      [outcome.request.type, outcome.request.state, outcome.request.stages[0]!.approvers],
      ["userExtend", "pendingApproval", ["mark"]],
    );
    const first = unwrap(
      await decideApproval(w.deps, {
        actorId: "mark",
        requestId: outcome.request.id,
        stage: 1,
        outcome: "approve",
        justification: "ok",
        source: "t",
      }),
    );
    const second = unwrap(
      await decideApproval(w.deps, {
        actorId: "sam",
        requestId: first.request.id,
        stage: 2,
        outcome: "approve",
        justification: "ok",
        source: "t",
      }),
    );
    await second.followUp;
    assert.equal((await w.deps.assignments.get(req.assignmentId!))!.value.endAt, "2027-01-19T10:00:00.000Z");
    assert.equal((await w.deps.requests.get(outcome.request.id))!.value.state, "delivered");
  });

  it("lists what the user may request, leaving out hidden packages", async () => {
    const w = world(
      config({
        packages: [accessPackage(), accessPackage({ id: "pkg-hidden", hidden: true })],
        policies: [twoStagePolicy(), twoStagePolicy({ id: "p2", packageId: "pkg-hidden" })],
      }),
    );
    const listed = unwrap(await listRequestable(w.deps, "alice"));
    assert.deepEqual(
      listed.map((p) => [p.package.id, p.policies.map((x) => x.id)]),
      [["pkg-analyst", ["pol-employees"]]],
    );
    assert.equal(unwrap(await describePackage(w.deps, "pkg-hidden", "alice")).package.id, "pkg-hidden");
  });
});
