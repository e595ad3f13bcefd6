import { strict as assert } from "node:assert";
import { submitRequest, type SubmitRequestInput } from "../../../src/app/submit-request";
import { decideApproval, type DecideApprovalInput } from "../../../src/app/decide-approval";
import { getMyAccess } from "../../../src/app/get-my-access";
import { config, twoStagePolicy } from "../domain/support/fixtures";
import { bi, sap } from "../domain/support/assignments";
import { unwrap, world, type World } from "./support/world";

const request = (patch: Partial<SubmitRequestInput> = {}): SubmitRequestInput => ({
  actorId: "alice",
  packageId: "pkg-analyst",
  justification: "Quarterly reporting",
  answers: {},
  source: "chat:command",
  ...patch,
});
const decision = (requestId: string, patch: Partial<DecideApprovalInput> = {}): DecideApprovalInput => ({
  actorId: "mark",
  requestId,
  stage: 1,
  outcome: "approve",
  justification: "Needed for the close",
  source: "card:approval",
  ...patch,
});

async function submitted(w: World) {
  return unwrap(await submitRequest(w.deps, request())).request;
}

describe("the seed's test plan: manager, then security, 14-day window, 30-day expiry", () => {
  it("grants every resource for 30 days after both stages approve", async () => {
    const w = world();
    const req = await submitted(w);
    assert.equal(req.state, "pendingApproval");
    assert.deepEqual(req.stages[0]!.approvers, ["mark"]);

    const afterManager = unwrap(await decideApproval(w.deps, decision(req.id, { revision: req.revision })));
    assert.equal(afterManager.request.state, "pendingApproval");
    // Alice is in the security group but never approves her own request.
    assert.deepEqual(afterManager.request.stages[1]!.approvers, ["sam", "sue"]);

    const final = unwrap(
      await decideApproval(
        w.deps,
        decision(req.id, { actorId: "sam", stage: 2, revision: afterManager.request.revision }),
      ),
    );
    assert.equal(final.request.state, "delivering");
    await final.followUp;

    const stored = (await w.deps.requests.get(req.id))!.value;
    assert.equal(stored.state, "delivered");
    const assignment = (await w.deps.assignments.get(stored.assignmentId!))!.value;
    assert.equal(assignment.state, "delivered");
    assert.equal(assignment.endAt, "2026-12-23T10:00:00.000Z");
    assert.ok(w.provisioner.has("alice", bi) && w.provisioner.has("alice", sap));

    const actions = (await w.deps.audit.query({ subject: `request:${req.id}` })).map((e) => e.action).sort();
    const expected = [
      "request.submitted",
      "stage.started",
      "stage.approved",
      "stage.started",
      "stage.approved",
      "request.approved",
    ];
    assert.deepEqual(actions, expected.sort());
    const grants = await w.deps.audit.query({ subject: `assignment:${stored.assignmentId}` });
    assert.deepEqual(grants.map((e) => e.action).sort(), [
      "assignment.granted",
      "resource.granted",
      "resource.granted",
    ]);
    const due = await w.deps.due.listDue("2027-01-01T00:00:00.000Z", 100);
    const kinds = due.map((d) => `${d.value.kind}:${d.value.discriminator}`);
    for (const k of [
      "decisionWindowEnd:1",
      "approvalReminder:2",
      "expiryReminder:336",
      "expiry:end",
      "deliveryRetry:safety",
    ]) {
      assert.ok(kinds.includes(k), `missing ${k}`);
    }
    assert.ok(w.events.types().includes("AssignmentDelivered"));
  });

  it("ends the request when the manager denies at stage 1", async () => {
    const w = world();
    const req = await submitted(w);
    const denied = unwrap(
      await decideApproval(w.deps, decision(req.id, { outcome: "deny", justification: "Not in your role" })),
    );
    assert.equal(denied.request.state, "denied");
    assert.equal(denied.request.stages.length, 1);
    assert.equal(w.provisioner.log.length, 0);
    const mine = await getMyAccess(w.deps, "alice");
    assert.deepEqual([mine.requests[0]!.state, mine.assignments.length], ["denied", 0]);
  });

  it("refuses and audits a decision from someone who is not a stage-1 approver", async () => {
    const w = world();
    const req = await submitted(w);
    const result = await decideApproval(w.deps, decision(req.id, { actorId: "sam" }));
    assert.equal(!result.ok && result.error.code, "APPROVAL.NOT_AN_APPROVER");
    assert.equal((await w.deps.requests.get(req.id))!.value.stages[0]!.decision, undefined);
    const refused = (await w.deps.audit.query({ subject: `request:${req.id}` })).filter(
      (e) => e.action === "cardAction.refused",
    );
    assert.deepEqual(
      refused.map((e) => [e.actor, e.details?.code]),
      [["sam", "APPROVAL.NOT_AN_APPROVER"]],
    );
  });

  it("refuses self-approval at stage 2 even though the requester is in the security group", async () => {
    const w = world();
    const req = await submitted(w);
    unwrap(await decideApproval(w.deps, decision(req.id)));
    const result = await decideApproval(w.deps, decision(req.id, { actorId: "alice", stage: 2 }));
    assert.equal(!result.ok && result.error.code, "APPROVAL.SELF_APPROVAL");
  });

  it("records exactly one decision when two approvers click at the same time", async () => {
    const w = world();
    unwrap(await decideApproval(w.deps, decision((await submitted(w)).id)));
    let conflicts = 0;
    const update = w.deps.requests.update.bind(w.deps.requests);
    w.deps.requests.update = (r, etag, after) =>
      update(r, etag, after).catch((e: unknown) => ((conflicts += 1), Promise.reject(e)));
    const results = await Promise.all([
      decideApproval(w.deps, decision("req_1", { actorId: "sam", stage: 2 })),
      decideApproval(w.deps, decision("req_1", { actorId: "sue", stage: 2, outcome: "deny" })),
    ]);
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    assert.equal(winners.length, 1);
    assert.equal(losers.length, 1);
    assert.equal(conflicts, 1, "both loaded the same version; the compare-and-swap stopped the second");
    const loser = losers[0]!;
    assert.ok(!loser.ok);
    assert.equal(loser.error.code, "APPROVAL.ALREADY_DECIDED");
    const stage2 = (await w.deps.requests.get("req_1"))!.value.stages[1]!;
    assert.equal(loser.error.details?.by, stage2.decision!.by);
    assert.equal(loser.error.details?.at, stage2.decision!.at);
  });

  it("treats the same approver clicking twice as one decision", async () => {
    const w = world();
    const req = await submitted(w);
    unwrap(await decideApproval(w.deps, decision(req.id)));
    const again = unwrap(await decideApproval(w.deps, decision(req.id)));
    assert.equal(again.request.currentStage, 1);
    assert.equal(
      (await w.deps.audit.query({ subject: `request:${req.id}` })).filter(
        (e) => e.action === "stage.approved",
      ).length,
      1,
    );
  });

  it("asks the fallback approvers when the requester has no manager", async () => {
    const w = world();
    const req = unwrap(await submitRequest(w.deps, request({ actorId: "nomgr" }))).request;
    assert.deepEqual([req.stages[0]!.approvers, req.stages[0]!.fallbackUsed], [["fiona"], true]);
  });

  it("denies at once (fail closed) when nobody can approve", async () => {
    const p = twoStagePolicy();
    const [first, second] = p.approval.stages;
    const w = world(
      config({
        policies: [
          { ...p, approval: { required: true, stages: [{ ...first!, fallbackApprovers: [] }, second!] } },
        ],
      }),
    );
    const req = unwrap(await submitRequest(w.deps, request({ actorId: "nomgr" }))).request;
    assert.equal(req.state, "denied");
    assert.equal(req.outcomeCode, "APPROVAL.NO_APPROVER");
  });

  it("lists the request among the approver's pending approvals", async () => {
    const w = world();
    await submitted(w);
    const mark = await getMyAccess(w.deps, "mark");
    assert.deepEqual(
      mark.pendingApprovals.map((r) => r.id),
      ["req_1"],
    );
    assert.equal(mark.packageNames["pkg-analyst"], "Business Analyst");
  });
});

describe("deadlines are written before the state that needs them", () => {
  const failingOnce = (w: World) => {
    const schedule = w.deps.due.schedule.bind(w.deps.due);
    let failures = 1;
    w.deps.due.schedule = async (items) => {
      if (failures-- > 0) throw new Error("storage unavailable");
      return schedule(items);
    };
  };

  it("saves no pending request when its decision window could not be scheduled", async () => {
    const w = world();
    failingOnce(w);
    await assert.rejects(submitRequest(w.deps, request()), /storage unavailable/);
    assert.deepEqual(await w.deps.requests.listForUser("alice"), []);
  });

  it("keeps stage 1 open when stage 2's deadlines could not be scheduled, so the click can be retried", async () => {
    const w = world();
    const req = await submitted(w);
    failingOnce(w);
    await assert.rejects(decideApproval(w.deps, decision(req.id, { revision: req.revision })));
    const stored = (await w.deps.requests.get(req.id))!.value;
    assert.equal(stored.currentStage, 0);
    assert.equal(stored.stages[0]!.decision, undefined);

    const retried = unwrap(await decideApproval(w.deps, decision(req.id, { revision: req.revision })));
    assert.equal(retried.request.currentStage, 1);
    const due = await w.deps.due.listDue("2027-01-01T00:00:00.000Z", 50);
    assert.ok(due.some((d) => d.value.kind === "decisionWindowEnd" && d.value.discriminator === "2"));
  });
});

describe("expiry reminders follow the configured offsets", () => {
  it("schedules a reminder at each configured offset before the end, and the expiry itself", async () => {
    const w = world();
    w.deps.reminderOffsetsHours = [72, 2];
    const req = await submitted(w);
    const first = unwrap(await decideApproval(w.deps, decision(req.id, { revision: req.revision })));
    const last = unwrap(
      await decideApproval(
        w.deps,
        decision(req.id, { actorId: "sam", stage: 2, revision: first.request.revision }),
      ),
    );
    await last.followUp;
    const stored = (await w.deps.requests.get(req.id))!.value;
    const due = (await w.deps.due.listDue("2030-01-01T00:00:00.000Z", 100))
      .map((d) => d.value)
      .filter((d) => d.subjectId === stored.assignmentId);
    const reminders = due
      .filter((d) => d.kind === "expiryReminder")
      .map((d) => d.discriminator)
      .sort();
    assert.deepEqual(reminders, ["2", "72"]);
    assert.ok(due.some((d) => d.kind === "expiry" && d.dueAt === "2026-12-23T10:00:00.000Z"));
  });
});
