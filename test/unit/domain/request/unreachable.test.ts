import { strict as assert } from "node:assert";
import { beginStage } from "../../../../src/domain/request/stages";
import { fallBackForUnreachable, type UnreachableReport } from "../../../../src/domain/request/unreachable";
import { decide } from "../../../../src/domain/request/decide";
import type { AccessRequest } from "../../../../src/domain/model";
import { NOW, submitted, twoStagePolicy } from "../support/fixtures";

const LATER = "2026-11-23T10:05:00.000Z";

/** Stage 1 pending with these approvers (primary), fallback `fiona`. */
function pending(primary: string[] = ["mark"]): AccessRequest {
  const result = beginStage(
    submitted(),
    twoStagePolicy(),
    { primary, fallback: ["fiona"], escalation: [] },
    NOW,
  );
  assert.ok(result.ok);
  return result.value.next;
}

const report = (patch: Partial<UnreachableReport> = {}): UnreachableReport => ({
  stage: 1,
  unreachable: ["mark"],
  fallback: ["fiona"],
  delegates: {},
  ...patch,
});

function apply(request: AccessRequest, r: UnreachableReport) {
  const result = fallBackForUnreachable(request, r, LATER);
  assert.ok(result.ok);
  return result.value;
}

describe("fallBackForUnreachable", () => {
  it("adds the fallback approvers when the only approver cannot be reached", () => {
    const step = apply(pending(), report());
    const stage = step.next.stages[0]!;
    assert.deepEqual(stage.approvers, ["mark", "fiona"]);
    assert.deepEqual(stage.unreachable, ["mark"]);
    assert.deepEqual(stage.fallbackAdded, { at: LATER, approvers: ["fiona"] });
    assert.deepEqual(step.events, [
      {
        type: "FallbackApproversAdded",
        requestId: step.next.id,
        stage: 1,
        approvers: ["fiona"],
        unreachable: ["mark"],
      },
    ]);
    assert.equal(step.next.revision, pending().revision + 1);
  });

  it("only remembers the unreachable approver while another approver of the stage was reached", () => {
    const step = apply(pending(["mark", "sam"]), report());
    const stage = step.next.stages[0]!;
    assert.equal(step.changed, true);
    assert.deepEqual(
      [stage.approvers, stage.unreachable, stage.fallbackAdded],
      [["mark", "sam"], ["mark"], undefined],
    );
    assert.deepEqual(step.events, []);
  });

  it("falls back once the last reachable approver turns out unreachable too, across reports", () => {
    const first = apply(pending(["mark", "sam"]), report()).next;
    const step = apply(first, report({ unreachable: ["sam"] }));
    assert.deepEqual(step.next.stages[0]!.approvers, ["mark", "sam", "fiona"]);
    assert.deepEqual(step.next.stages[0]!.unreachable, ["mark", "sam"]);
  });

  it("counts a delegate who got the card as reaching the approver", () => {
    const step = apply(pending(), report({ delegates: { mark: "diego" } }));
    assert.equal(step.next.stages[0]!.fallbackAdded, undefined);
    const both = apply(pending(), report({ unreachable: ["mark", "diego"], delegates: { mark: "diego" } }));
    assert.deepEqual(both.next.stages[0]!.fallbackAdded?.approvers, ["fiona"]);
  });

  const unchangedCases: Array<[string, () => AccessRequest, Partial<UnreachableReport>]> = [
    ["the same report twice", () => apply(pending(), report()).next, {}],
    ["a report about another stage", () => pending(), { stage: 2 }],
    ["a request no longer pending", () => ({ ...pending(), state: "canceled" as const }), {}],
  ];
  for (const [name, make, patch] of unchangedCases) {
    it(`changes nothing for ${name}`, () => {
      const request = make();
      const step = apply(request, report(patch));
      assert.equal(step.changed, false);
      assert.deepEqual(step.next, request);
    });
  }

  it("adds nobody more when the stage's approvers already are the fallback", () => {
    const step = apply(pending([]), report({ unreachable: ["fiona"], fallback: ["fiona", "irvin"] }));
    assert.deepEqual(step.next.stages[0]!.approvers, ["fiona"]);
    assert.deepEqual(step.next.stages[0]!.unreachable, ["fiona"]);
    assert.deepEqual(step.events, []);
  });

  it("never adds the requester, the target or an unreachable person as fallback", () => {
    const step = apply(pending(), report({ fallback: ["alice", "mark"] }));
    assert.equal(step.next.stages[0]!.fallbackAdded, undefined);
    assert.deepEqual(step.events, []);
  });

  it("lets the added fallback approver decide the stage", () => {
    const next = apply(pending(), report()).next;
    const decided = decide(
      next,
      { actorId: "fiona", stage: 1, outcome: "approve", justification: "ok", revision: next.revision },
      { now: LATER, policy: twoStagePolicy() },
    );
    assert.ok(decided.ok, JSON.stringify(decided));
    assert.equal(decided.value.next.stages[0]!.decision?.by, "fiona");
  });
});
