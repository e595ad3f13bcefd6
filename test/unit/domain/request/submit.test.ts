import { strict as assert } from "node:assert";
import { submitRequest, type SubmitCommand, type SubmitContext } from "../../../../src/domain/request/submit";
import type { Assignment, AssignmentPolicy } from "../../../../src/domain/model";
import { NOW, submitted, twoStagePolicy } from "../support/fixtures";

const cmd = (
  policy: AssignmentPolicy = twoStagePolicy(),
  patch: Partial<SubmitCommand> = {},
): SubmitCommand => ({
  id: "req-9",
  type: "userAdd",
  requesterId: "alice",
  targetUserId: "alice",
  policy,
  input: { justification: "Reporting", answers: {}, schedule: {} },
  ...patch,
});
const noApproval = (): AssignmentPolicy => ({
  ...twoStagePolicy(),
  approval: { required: false, stages: [] },
});
const assignment = (state: Assignment["state"]): Assignment => ({
  id: "asg-1",
  userId: "alice",
  packageId: "pkg-analyst",
  policyId: "pol-employees",
  requestId: "req-0",
  state,
  startAt: NOW,
  resources: [],
  remindersSent: [],
  createdAt: NOW,
  updatedAt: NOW,
  revision: 1,
});
const ctx: SubmitContext = { now: NOW, requestsOfTarget: [], assignmentsOfTarget: [] };

describe("submitRequest", () => {
  it("creates a submitted request waiting for its first stage", () => {
    const result = submitRequest(cmd(), ctx);
    assert.ok(result.ok);
    assert.equal(result.value.next.state, "submitted");
    assert.equal(result.value.next.revision, 1);
    assert.deepEqual(result.value.events, [
      { type: "RequestSubmitted", requestId: "req-9", justification: "Reporting" },
    ]);
  });

  it("approves at once when the policy needs no approval", () => {
    const result = submitRequest(cmd(noApproval()), ctx);
    assert.ok(result.ok);
    assert.equal(result.value.next.state, "delivering");
    assert.deepEqual(
      result.value.events.map((e) => e.type),
      ["RequestSubmitted", "RequestApproved"],
    );
  });

  it("schedules delivery for a later requested start", () => {
    const startAt = "2026-12-01T08:00:00.000Z";
    const result = submitRequest(
      cmd(noApproval(), { input: { justification: "", answers: {}, schedule: { startAt } } }),
      ctx,
    );
    assert.ok(result.ok);
    assert.equal(result.value.next.state, "scheduled");
    assert.deepEqual(result.value.deadlines, [
      { kind: "scheduledStart", dueAt: startAt, subjectId: "req-9", discriminator: "start" },
    ]);
  });

  const refusals: Array<[string, Partial<SubmitContext>, string]> = [
    [
      "refuses a second open request for the same package",
      { requestsOfTarget: [submitted({ state: "pendingApproval" })] },
      "REQUEST.DUPLICATE",
    ],
    [
      "refuses a package the user already holds",
      { assignmentsOfTarget: [assignment("delivered")] },
      "REQUEST.ALREADY_ASSIGNED",
    ],
  ];
  for (const [name, patch, code] of refusals) {
    it(name, () => {
      const result = submitRequest(cmd(), { ...ctx, ...patch });
      assert.equal(!result.ok && result.error.code, code);
    });
  }

  it("allows a new request once the earlier one ended or the access was removed", () => {
    const result = submitRequest(cmd(), {
      ...ctx,
      requestsOfTarget: [submitted({ state: "denied" })],
      assignmentsOfTarget: [assignment("removed")],
    });
    assert.equal(result.ok, true);
  });
});
