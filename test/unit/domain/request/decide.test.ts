import { strict as assert } from "node:assert";
import { decide, type DecideCommand } from "../../../../src/domain/request/decide";
import { beginStage } from "../../../../src/domain/request/stages";
import { cancelRequest } from "../../../../src/domain/request/lifecycle";
import type { AccessRequest } from "../../../../src/domain/model";
import { NOW, submitted, twoStagePolicy } from "../support/fixtures";

const policy = twoStagePolicy();
const T1 = "2026-11-24T09:00:00.000Z";

function ok<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) assert.fail(JSON.stringify(result.error));
  return result.value;
}
/** Stage 1 pending with mark as approver. */
const atStage1 = (request = submitted()) =>
  ok(beginStage(request, policy, { primary: ["mark"], fallback: [], escalation: [] }, NOW)).next;
const approve = (patch: Partial<DecideCommand> = {}): DecideCommand => ({
  actorId: "mark",
  stage: 1,
  outcome: "approve",
  justification: "Fine",
  ...patch,
});
/** Stage 2 pending with the security group (which includes alice). */
function atStage2(): AccessRequest {
  const afterOne = ok(decide(atStage1(), approve(), { now: T1, policy })).next;
  return ok(beginStage(afterOne, policy, { primary: ["sam", "alice"], fallback: [], escalation: [] }, T1))
    .next;
}

describe("decide", () => {
  it("moves to the next stage after a stage-1 approval", () => {
    const step = ok(decide(atStage1(), approve(), { now: T1, policy }));
    assert.equal(step.next.state, "pendingApproval");
    assert.equal(step.next.currentStage, 1);
    assert.deepEqual(step.next.stages[0]!.decision, {
      outcome: "approve",
      by: "mark",
      at: T1,
      justification: "Fine",
    });
  });

  it("approves the request after the last stage and starts delivery", () => {
    const step = ok(decide(atStage2(), approve({ actorId: "sam", stage: 2 }), { now: T1, policy }));
    assert.equal(step.next.state, "delivering");
    assert.deepEqual(
      step.events.map((e) => e.type),
      ["StageApproved", "RequestApproved"],
    );
  });

  it("ends the request on a deny", () => {
    const step = ok(
      decide(atStage1(), approve({ outcome: "deny", justification: "Not needed" }), { now: T1, policy }),
    );
    assert.equal(step.next.state, "denied");
    assert.equal(step.next.outcomeReason, "Not needed");
  });

  it("treats a repeated identical decision as a no-op", () => {
    const decided = ok(decide(atStage1(), approve({ outcome: "deny" }), { now: T1, policy })).next;
    const again = ok(decide(decided, approve({ outcome: "deny" }), { now: T1, policy }));
    assert.equal(again.changed, false);
    assert.equal(again.next, decided);
  });

  const refusals: Array<[string, () => AccessRequest, Partial<DecideCommand>, string]> = [
    [
      "rejects a decision from someone who is not a stage-1 approver",
      atStage1,
      { actorId: "eve" },
      "APPROVAL.NOT_AN_APPROVER",
    ],
    [
      "rejects a decision from someone who is not a stage-2 approver",
      atStage2,
      { actorId: "mark", stage: 2 },
      "APPROVAL.NOT_AN_APPROVER",
    ],
    [
      "refuses self-approval even when the requester is in the approver group",
      atStage2,
      { actorId: "alice", stage: 2 },
      "APPROVAL.SELF_APPROVAL",
    ],
    ["refuses a decision for a stage that has not begun", atStage1, { stage: 2 }, "APPROVAL.STAGE_MISMATCH"],
    ["refuses a nonsense stage number", atStage1, { stage: 0 }, "APPROVAL.STAGE_MISMATCH"],
    [
      "tells a late approver who decided the stage",
      atStage2,
      { stage: 1, outcome: "deny" },
      "APPROVAL.ALREADY_DECIDED",
    ],
    [
      "requires a justification when the stage asks for one",
      atStage1,
      { justification: "  " },
      "APPROVAL.JUSTIFICATION_REQUIRED",
    ],
    ["refuses a card older than the stage", atStage1, { revision: 1 }, "APPROVAL.STALE_CARD"],
    ["refuses a card from the future", atStage1, { revision: 99 }, "APPROVAL.STALE_CARD"],
    [
      "refuses a decision on a canceled request",
      () => ok(cancelRequest(atStage1(), { actorId: "alice" }, T1)).next,
      {},
      "REQUEST.NOT_PENDING",
    ],
  ];
  for (const [name, state, patch, code] of refusals) {
    it(name, () => {
      const request = state();
      const result = decide(request, approve(patch), { now: T1, policy });
      assert.equal(!result.ok && result.error.code, code);
    });
  }

  it("reports who decided, when and how to the loser", () => {
    const result = decide(atStage2(), approve({ stage: 1, outcome: "deny" }), { now: T1, policy });
    assert.ok(!result.ok);
    assert.deepEqual(result.error.details, { by: "mark", at: T1, outcome: "approve" });
  });

  it("accepts a card rendered before a reminder (a change that does not matter)", () => {
    const request = atStage1();
    const reminded = { ...request, revision: request.revision + 1 };
    const result = decide(reminded, approve({ revision: request.revision }), { now: T1, policy });
    assert.equal(result.ok, true);
  });

  it("lets escalation approvers decide only once escalated", () => {
    const base = atStage1();
    const stage = { ...base.stages[0]!, escalationApprovers: ["erin"] };
    const notYet = decide({ ...base, stages: [stage] }, approve({ actorId: "erin" }), { now: T1, policy });
    assert.equal(!notYet.ok && notYet.error.code, "APPROVAL.NOT_AN_APPROVER");
    const escalated = decide(
      { ...base, stages: [{ ...stage, escalated: true }] },
      approve({ actorId: "erin" }),
      { now: T1, policy },
    );
    assert.equal(escalated.ok, true);
  });
});

describe("cancelRequest", () => {
  it("lets the requester cancel a pending request", () => {
    const step = ok(cancelRequest(atStage1(), { actorId: "alice", reason: "No longer needed" }, T1));
    assert.equal(step.next.state, "canceled");
    assert.equal(step.next.outcomeReason, "No longer needed");
  });
  it("refuses anyone else", () => {
    const result = cancelRequest(atStage1(), { actorId: "mark" }, T1);
    assert.equal(!result.ok && result.error.code, "REQUEST.NOT_YOURS");
  });
  it("refuses a request that is no longer pending", () => {
    const result = cancelRequest(submitted({ state: "delivered" }), { actorId: "alice" }, T1);
    assert.equal(!result.ok && result.error.code, "REQUEST.NOT_PENDING");
  });
});
