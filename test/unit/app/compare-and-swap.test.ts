import { strict as assert } from "node:assert";
import { decideApproval, type DecideApprovalInput } from "../../../src/app/decide-approval";
import { submitRequest, type SubmitRequestInput } from "../../../src/app/submit-request";
import { grantDue } from "../../../src/app/shared/grant-due";
import { mutateRequest } from "../../../src/app/shared/stage-flow";
import { GovernanceIndex } from "../../../src/domain/governance-index";
import type { AccessRequest, AssignmentPolicy, Instant } from "../../../src/domain/model";
import { decide } from "../../../src/domain/request/decide";
import { config, twoStagePolicy } from "../domain/support/fixtures";
import { unwrap, world, type World } from "./support/world";

const ask: SubmitRequestInput = {
  actorId: "alice",
  packageId: "pkg-analyst",
  justification: "Quarterly reporting",
  answers: {},
  source: "chat:command",
};
const managerApproves = (requestId: string): DecideApprovalInput => ({
  actorId: "mark",
  requestId,
  stage: 1,
  outcome: "approve",
  justification: "Needed",
  source: "card:approval",
});

/** The next save of `store` first lets `meanwhile` save, so it loses the compare-and-swap. */
function loseNextRace<T extends { id: string }>(
  store: { update(value: T, etag: string, after?: Promise<void>): Promise<string> },
  meanwhile: (value: T, update: (value: T, etag: string) => Promise<string>) => Promise<unknown>,
  onSave: () => void = () => undefined,
): void {
  const update = store.update.bind(store);
  let raced = false;
  store.update = async (value, etag, after) => {
    onSave();
    if (!raced) {
      raced = true;
      await meanwhile(value, update);
    }
    return update(value, etag, after);
  };
}

const touchAgain =
  (w: World) => async (value: AccessRequest, update: (v: AccessRequest, e: string) => Promise<string>) => {
    const current = (await w.stores.requests.get(value.id))!;
    await update(current.value, current.etag);
  };

describe("slow I/O stays outside the compare-and-swap", () => {
  it("resolves the next stage's approvers once, before saving, when the approval's save loses a race", async () => {
    const w = world();
    const req = unwrap(await submitRequest(w.deps, ask)).request;
    const calls: string[] = [];
    const members = w.directory.getGroupMemberIds.bind(w.directory);
    w.directory.getGroupMemberIds = async (id) => (calls.push(`lookup ${id}`), members(id));
    loseNextRace(w.stores.requests, touchAgain(w), () => calls.push("save"));
    const decided = unwrap(await decideApproval(w.deps, managerApproves(req.id)));
    assert.deepEqual(decided.request.stages[1]!.approvers, ["sam", "sue"]);
    assert.deepEqual(calls, ["lookup grp-security", "save", "save"]);
  });

  it("resolves a stage after a conflict only when the fresh request waits for another one", async () => {
    const base = twoStagePolicy();
    const fiona = {
      ...base.approval.stages[0]!,
      primaryApprovers: [{ kind: "users" as const, userIds: ["fiona"] }],
    };
    const policy: AssignmentPolicy = {
      ...base,
      approval: { required: true, stages: [...base.approval.stages, fiona] },
    };
    const w = world(config({ policies: [policy] }));
    const req = unwrap(await submitRequest(w.deps, ask)).request;
    // The transition approves whichever stage is current, as that stage's approver would.
    const approveCurrent = (r: AccessRequest, now: Instant) =>
      decide(
        r,
        {
          actorId: r.currentStage === 0 ? "mark" : "sam",
          stage: (r.currentStage ?? 0) + 1,
          outcome: "approve",
          justification: "ok",
        },
        { now, policy },
      );
    // Meanwhile the manager approves stage 1, so the fresh request waits for stage 3, not stage 2.
    loseNextRace(w.stores.requests, () => decideApproval(w.deps, managerApproves(req.id)));
    const index = new GovernanceIndex(await w.deps.governance.load());
    const { step } = unwrap(await mutateRequest(w.deps, index, req.id, approveCurrent));
    assert.deepEqual(
      step.next.stages.map((s) => [s.approvers, s.decision?.by]),
      [
        [["mark"], "mark"],
        [["sam", "sue"], "sam"],
        [["fiona"], undefined],
      ],
    );
    assert.equal((await w.deps.requests.get(req.id))!.value.currentStage, 2);
  });
});

describe("delivery's provisioner stays outside the compare-and-swap", () => {
  const selfService = () =>
    world(config({ policies: [twoStagePolicy({ approval: { required: false, stages: [] } })] }));
  const grants = (w: World) => w.provisioner.log.map((op) => `${op.action} ${op.role.displayName}`);

  it("grants each resource once when the save of the outcomes loses a race", async () => {
    const w = selfService();
    let raced = 0;
    loseNextRace(w.stores.assignments, async (value, update) => {
      raced += 1;
      const current = (await w.stores.assignments.get(value.id))!;
      await update(current.value, current.etag);
    });
    const submitted = unwrap(await submitRequest(w.deps, ask));
    await submitted.followUp;
    const request = (await w.deps.requests.get(submitted.request.id))!.value;
    assert.equal(raced, 1);
    assert.equal(request.state, "delivered");
    assert.deepEqual(grants(w), ["grant BI users", "grant SAP"]);
    const rows = await w.deps.audit.query({ subject: `assignment:${request.assignmentId}` });
    assert.equal(rows.filter((e) => e.action === "resource.granted").length, 2);
  });

  it("after a lost race, grants only what fell due on the fresh assignment and was not granted yet", async () => {
    const w = selfService();
    w.provisioner.failNext("BI users", { status: "failed", retryable: true, error: "503" });
    w.provisioner.failNext("SAP", { status: "failed", retryable: false, error: "403" });
    const submitted = unwrap(await submitRequest(w.deps, ask));
    await submitted.followUp;
    const id = (await w.deps.requests.get(submitted.request.id))!.value.assignmentId!;
    w.clock.set("2026-11-23T10:01:01.000Z"); // BI's retry is due; SAP waits for a person
    w.provisioner.log.splice(0);
    // Meanwhile someone puts SAP back in line (the permission was fixed).
    loseNextRace(w.stores.assignments, async (_value, update) => {
      const current = (await w.stores.assignments.get(id))!;
      const resources = current.value.resources.map((r) =>
        r.role.displayName === "SAP" ? { ...r, status: "pending" as const } : r,
      );
      await update({ ...current.value, resources }, current.etag);
    });
    const granted = unwrap(await grantDue(w.deps, (await w.deps.assignments.get(id))!, false, "test"));
    assert.equal(granted.state, "delivered");
    assert.deepEqual(grants(w), ["grant BI users", "grant SAP"]);
  });
});
