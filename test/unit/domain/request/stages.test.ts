import { strict as assert } from "node:assert";
import {
  beginStage,
  endDecisionWindow,
  escalateStage,
  remindApprovers,
  type ResolvedApprovers,
} from "../../../../src/domain/request/stages";
import type { AccessRequest, AssignmentPolicy } from "../../../../src/domain/model";
import { NOW, submitted, twoStagePolicy } from "../support/fixtures";

const resolved = (patch: Partial<ResolvedApprovers> = {}): ResolvedApprovers => ({
  primary: ["mark"],
  fallback: ["fiona"],
  escalation: [],
  ...patch,
});
const withEscalation = (): AssignmentPolicy => {
  const p = twoStagePolicy();
  const [first, second] = p.approval.stages;
  return {
    ...p,
    approval: {
      required: true,
      stages: [{ ...first!, escalation: { afterDays: 5, approvers: [] } }, second!],
    },
  };
};
function begin(
  patch: Partial<ResolvedApprovers> = {},
  request = submitted(),
  policy = twoStagePolicy(),
): AccessRequest {
  const result = beginStage(request, policy, resolved(patch), NOW);
  assert.ok(result.ok);
  return result.value.next;
}

describe("beginStage", () => {
  const approverTable: Array<[string, Partial<ResolvedApprovers>, string[], boolean]> = [
    ["fixes the primary approvers", { primary: ["mark", "mark"] }, ["mark"], false],
    ["uses the fallback approvers when there are no primaries", { primary: [] }, ["fiona"], true],
    [
      "never lets the requester approve, even if resolved as approver",
      { primary: ["alice", "sam"] },
      ["sam"],
      false,
    ],
    ["falls back when the requester was the only primary", { primary: ["alice"] }, ["fiona"], true],
  ];
  for (const [name, patch, approvers, fallbackUsed] of approverTable) {
    it(name, () => {
      const stage = begin(patch).stages[0]!;
      assert.deepEqual([stage.approvers, stage.fallbackUsed], [approvers, fallbackUsed]);
    });
  }

  it("denies the request when nobody can approve (fail closed)", () => {
    const result = beginStage(
      submitted(),
      twoStagePolicy(),
      resolved({ primary: ["alice"], fallback: [] }),
      NOW,
    );
    assert.ok(result.ok);
    const next = result.value.next;
    assert.equal(next.state, "denied");
    assert.equal(next.outcomeCode, "APPROVAL.NO_APPROVER");
    assert.match(next.outcomeReason ?? "", /catalog owner/);
    assert.equal(result.value.deadlines.length, 0);
  });

  it("sets the reminder at the window's midpoint and the window end after 14 days", () => {
    const result = beginStage(submitted(), twoStagePolicy(), resolved(), NOW);
    assert.ok(result.ok);
    assert.deepEqual(
      result.value.deadlines.map((d) => [d.kind, d.dueAt, d.discriminator]),
      [
        ["approvalReminder", "2026-11-30T10:00:00.000Z", "1"],
        ["decisionWindowEnd", "2026-12-07T10:00:00.000Z", "1"],
      ],
    );
    assert.equal(result.value.next.state, "pendingApproval");
    assert.equal(result.value.next.materialRevision, 2);
  });

  it("sets an escalation deadline when the stage escalates", () => {
    const result = beginStage(submitted(), withEscalation(), resolved({ escalation: ["erin"] }), NOW);
    assert.ok(result.ok);
    const escalation = result.value.deadlines.find((d) => d.kind === "approvalEscalation");
    assert.equal(escalation?.dueAt, "2026-11-28T10:00:00.000Z");
  });

  it("refuses to begin a stage on a request that is not waiting for one", () => {
    const result = beginStage(begin(), twoStagePolicy(), resolved(), NOW);
    assert.equal(!result.ok && result.error.code, "REQUEST.NOT_PENDING");
  });
});

describe("stage deadlines", () => {
  const later = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

  it("expires the request when the decision window ends, denied by the system", () => {
    const result = endDecisionWindow(begin(), 1, later(14));
    assert.ok(result.ok && result.value.changed);
    const next = result.value.next;
    assert.equal(next.state, "expired");
    assert.equal(next.stages[0]!.decision?.by, "system");
    assert.match(next.outcomeReason ?? "", /decision window/);
  });

  const noops: Array<[string, (r: AccessRequest) => ReturnType<typeof endDecisionWindow>]> = [
    ["ignores a window end that has not come yet", (r) => endDecisionWindow(r, 1, later(13))],
    ["ignores a window end for another stage", (r) => endDecisionWindow(r, 2, later(20))],
    [
      "ignores an escalation when the stage has no escalation approvers",
      (r) => escalateStage(r, 1, later(6)),
    ],
    [
      "ignores a reminder for a decided request",
      (r) => remindApprovers({ ...r, state: "denied" }, 1, later(7)),
    ],
  ];
  for (const [name, run] of noops) {
    it(name, () => {
      const request = begin();
      const result = run(request);
      assert.ok(result.ok);
      assert.equal(result.value.changed, false);
      assert.deepEqual(result.value.events, []);
    });
  }

  it("adds the escalation approvers once escalated", () => {
    const request = begin({ escalation: ["erin"] }, submitted(), withEscalation());
    const result = escalateStage(request, 1, later(5));
    assert.ok(result.ok);
    assert.equal(result.value.next.stages[0]!.escalated, true);
    assert.deepEqual(result.value.events, [
      { type: "StageEscalated", requestId: "req-1", stage: 1, approvers: ["erin"] },
    ]);
  });

  it("reminds once and records when", () => {
    const first = remindApprovers(begin(), 1, later(7));
    assert.ok(first.ok);
    assert.equal(first.value.next.stages[0]!.remindedAt, later(7));
    const second = remindApprovers(first.value.next, 1, later(8));
    assert.ok(second.ok);
    assert.equal(second.value.changed, false);
  });
});
