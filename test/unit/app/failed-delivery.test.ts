import { strict as assert } from "node:assert";
import { submitRequest } from "../../../src/app/submit-request";
import { reprocessAssignment } from "../../../src/app/reprocess-assignment";
import { removeAssignment } from "../../../src/app/remove-assignment";
import { loadViewContext } from "../../../src/app/queries/view-context";
import { myAccess } from "../../../src/app/queries/requests";
import { parseAccessArgs, runAccessCommand } from "../../../src/cli/access";
import type { AccessPackage, AssignmentPolicy } from "../../../src/domain/model";
import { deliveredView } from "../../../src/views/notices";
import { myAccessView } from "../../../src/views/lists";
import { renderCard } from "../../../src/views/render";
import { accessPackage, config, twoStagePolicy } from "../domain/support/fixtures";
import { bi } from "../domain/support/assignments";
import { unwrap, world } from "./support/world";

type W = ReturnType<typeof open>;

const reporting: AccessPackage = accessPackage({
  id: "pkg-reporting",
  name: "Reporting",
  resourceRoles: [bi],
});
const selfService = (id: string, packageId: string): AssignmentPolicy => ({
  ...twoStagePolicy({ id, packageId }),
  approval: { required: false, stages: [] },
});
const open = () =>
  world(
    config({
      packages: [accessPackage(), reporting],
      policies: [selfService("pol-a", "pkg-analyst"), selfService("pol-r", "pkg-reporting")],
    }),
  );
const notFound = { status: "failed" as const, retryable: false, error: "404 group not found" };

async function ask(w: W, packageId: string) {
  const submitted = await submitRequest(w.deps, {
    actorId: "alice",
    packageId,
    justification: "Work",
    answers: {},
    source: "t",
  });
  if (!submitted.ok) return submitted;
  await submitted.value.followUp;
  return { ok: true as const, value: (await w.deps.requests.get(submitted.value.request.id))!.value };
}

const text = (card: unknown) => JSON.stringify(card);

describe("a delivery that failed for good", () => {
  it("tells the catalog owners once and the requester the truth, not 'keeps retrying'", async () => {
    const w = open();
    w.provisioner.failNext("BI users", notFound);
    const request = unwrap(await ask(w, "pkg-reporting"));
    assert.equal(request.state, "deliveryFailed");
    assert.deepEqual(w.events.ofType("GrantsFailed"), [
      { type: "GrantsFailed", assignmentId: request.assignmentId!, roles: ["BI users"] },
    ]);
    const a = (await w.deps.assignments.get(request.assignmentId!))!.value;
    const ctx = await loadViewContext(w.deps, ["alice"]);
    const delivered = text(renderCard(deliveredView(ctx, a)));
    assert.doesNotMatch(delivered, /keeps retrying|You now have/);
    assert.match(delivered, /catalog owners have been told/);
    const listed = await myAccess(w.deps, "alice");
    assert.match(text(renderCard(myAccessView(listed.ctx, listed.assignments))), /Delivery failed\./);
  });

  it("says 'partly' and 'still retrying' only while a retry is scheduled", async () => {
    const w = open();
    w.provisioner.failNext("SAP", { status: "failed", retryable: true, error: "503" });
    const request = unwrap(await ask(w, "pkg-analyst"));
    const a = (await w.deps.assignments.get(request.assignmentId!))!.value;
    const ctx = await loadViewContext(w.deps, ["alice"]);
    assert.match(text(renderCard(deliveredView(ctx, a))), /keeps retrying/);
    assert.equal(w.events.ofType("GrantsFailed").length, 0);
  });

  it("does not keep the requester from asking again; the old assignment is then not reprocessed", async () => {
    const w = open();
    w.provisioner.failNext("BI users", notFound);
    const first = unwrap(await ask(w, "pkg-reporting"));
    const second = unwrap(await ask(w, "pkg-reporting"));
    assert.equal(second.state, "delivered");
    assert.notEqual(second.assignmentId, first.assignmentId);
    assert.ok(w.provisioner.has("alice", bi));
    const stale = await reprocessAssignment(w.deps, {
      actorId: "olivia",
      assignmentId: first.assignmentId!,
      source: "t",
    });
    assert.equal(!stale.ok && stale.error.code, "REQUEST.ALREADY_ASSIGNED");
    // Removing the new access takes the group away: the failed one grants nothing.
    unwrap(
      await removeAssignment(w.deps, {
        actorId: "alice",
        as: "user",
        assignmentId: second.assignmentId!,
        reason: "",
        source: "t",
      }),
    );
    assert.ok(!w.provisioner.has("alice", bi));
  });
});

describe("npm run access", () => {
  it("reads the command line", () => {
    assert.deepEqual(parseAccessArgs(["reprocess", "asg_1"]), { verb: "reprocess", assignmentId: "asg_1" });
    assert.deepEqual(parseAccessArgs(["retry-removal", "asg_1"]), {
      verb: "retry-removal",
      assignmentId: "asg_1",
    });
    for (const bad of [[], ["reprocess"], ["reprocess", "--x"], ["grant", "asg_1"], ["reprocess", "a", "b"]])
      assert.equal(parseAccessArgs(bad), undefined, bad.join(" "));
  });

  it("reprocess grants what failed for good and audits the operator's command", async () => {
    const w = open();
    w.provisioner.failNext("BI users", notFound);
    const request = unwrap(await ask(w, "pkg-reporting"));
    const run = await runAccessCommand(w.deps, { verb: "reprocess", assignmentId: request.assignmentId! });
    assert.equal(run.code, 0);
    assert.match(run.lines[0]!, /: delivered/);
    assert.ok(w.provisioner.has("alice", bi));
    const rows = await w.deps.audit.query({ limit: 100 });
    const reprocessed = rows.find((e) => e.action === "assignment.reprocessed");
    assert.equal(reprocessed?.actor, "system");
    assert.equal(reprocessed?.source, "cli:access");
  });

  it("retry-removal takes away access whose removal failed; an unknown id exits 1", async () => {
    const w = open();
    const request = unwrap(await ask(w, "pkg-reporting"));
    w.provisioner.failNext("BI users", { status: "failed", retryable: false, error: "403" });
    unwrap(
      await removeAssignment(w.deps, {
        actorId: "alice",
        as: "user",
        assignmentId: request.assignmentId!,
        reason: "",
        source: "t",
      }),
    );
    assert.ok(w.provisioner.has("alice", bi));
    const run = await runAccessCommand(w.deps, {
      verb: "retry-removal",
      assignmentId: request.assignmentId!,
    });
    assert.equal(run.code, 0);
    assert.match(run.lines[0]!, /removed, removal completed/);
    assert.ok(!w.provisioner.has("alice", bi));
    const missing = await runAccessCommand(w.deps, { verb: "reprocess", assignmentId: "asg_nope" });
    assert.equal(missing.code, 1);
    assert.match(missing.lines[0]!, /ASSIGNMENT.NOT_FOUND/);
  });
});
