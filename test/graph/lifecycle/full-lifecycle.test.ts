import assert from "node:assert/strict";
import { submitRequest } from "../../../src/app/submit-request";
import { decideApproval } from "../../../src/app/decide-approval";
import { removeAssignment } from "../../../src/app/remove-assignment";
import {
  approve,
  ask,
  assignmentOf,
  auditActions,
  graphWorld,
  holdings,
  requestOf,
  unwrap,
  type GraphWorld,
} from "./graph-world";

const MINUTE = 60_000;

describe("the access lifecycle against the loopback Microsoft Graph", () => {
  let w: GraphWorld;

  beforeEach(async () => {
    w = await graphWorld();
  });
  afterEach(() => w.stop());

  const items = () => w.graph.server.requestsOf("item");

  it("requests, approves in two stages, delivers the three roles in the tenant and revokes them on removal", async () => {
    const submitted = unwrap(await submitRequest(w.deps, ask("alice", "pkg-crm")));
    const id = submitted.request.id;
    assert.equal(submitted.request.state, "pendingApproval");
    assert.deepEqual(submitted.request.stages[0]!.approvers, ["mark"], "alice's manager, read from Graph");
    assert.ok(w.graph.server.log.some((c) => c.url.startsWith("/users/alice/manager")));

    w.clock.advance(MINUTE);
    const first = unwrap(await decideApproval(w.deps, approve("mark", id, 1)));
    assert.equal(first.request.currentStage, 1);
    assert.deepEqual(
      [...first.request.stages[1]!.approvers].sort(),
      ["sam", "sue"],
      "the security group's members, read from Graph",
    );

    w.clock.advance(MINUTE);
    const second = unwrap(await decideApproval(w.deps, approve("sam", id, 2)));
    assert.equal(second.request.state, "delivering");
    await second.followUp;

    const delivered = await requestOf(w, id);
    assert.equal(delivered.state, "delivered");
    const assignment = await assignmentOf(w, id);
    assert.equal(assignment.state, "delivered");
    assert.deepEqual(
      assignment.resources.map((r) => [r.role.displayName, r.status, r.heldBefore]),
      [
        ["CRM users", "granted", false],
        ["Deals team (owner)", "granted", false],
        ["CRM app", "granted", false],
      ],
    );
    assert.deepEqual(holdings(w.tenant, "alice"), { member: true, owner: true, appRole: true });
    assert.deepEqual(
      items()
        .filter((i) => i.method === "POST")
        .map((i) => [i.url, i.status]),
      [
        ["/groups/crm-users/members/$ref", 204],
        ["/groups/team-deals/owners/$ref", 204],
        ["/servicePrincipals/sp-crm/appRoleAssignedTo", 201],
      ],
    );

    w.clock.advance(MINUTE);
    const removed = unwrap(
      await removeAssignment(w.deps, {
        actorId: "alice",
        as: "user",
        assignmentId: assignment.id,
        reason: "Moved to another team",
        source: "chat:command",
      }),
    );
    assert.equal(removed.state, "removed");
    assert.deepEqual(
      removed.resources.map((r) => r.status),
      ["revoked", "revoked", "revoked"],
    );
    assert.deepEqual(holdings(w.tenant, "alice"), { member: false, owner: false, appRole: false });

    const grantedAssignment = w.tenant.applied.find((c) => c.change === "appRoleAssigned")!;
    assert.equal(grantedAssignment.principalId, "alice");
    const deletes = items().filter((i) => i.method === "DELETE");
    assert.deepEqual(deletes.map((i) => [i.url, i.status]).sort(), [
      ["/groups/crm-users/members/alice/$ref", 204],
      ["/groups/team-deals/owners/alice/$ref", 204],
      ["/servicePrincipals/sp-crm/appRoleAssignedTo/ara-1", 204],
    ]);
    // Every removal names a link ($ref) or an app role assignment, never the user object.
    for (const d of w.graph.server.log.filter((c) => c.method === "DELETE"))
      assert.match(d.url, /\/\$ref$|\/appRoleAssignedTo\/[^/]+$/);
    assert.ok(w.tenant.users.has("alice"));
    assert.ok(!w.tenant.applied.some((c) => c.change === "userDeleted"));

    assert.deepEqual(await auditActions(w, "alice"), [
      "request.submitted",
      "stage.started",
      "stage.approved",
      "stage.started",
      "stage.approved",
      "request.approved",
      "assignment.granted",
      "resource.granted",
      "resource.granted",
      "resource.granted",
      "assignment.removed",
      "resource.revoked",
      "resource.revoked",
      "resource.revoked",
    ]);
    const approvals = (await w.deps.audit.query({ subject: `request:${id}` })).filter(
      (r) => r.action === "stage.approved",
    );
    assert.deepEqual(approvals.map((r) => r.actor).sort(), ["mark", "sam"]);
    assert.equal(w.graph.credential.calls, 0, "a plain-http loopback Graph never asks for a token");
  });

  it("fixes the fallback approvers on the stage when the requester has no manager, and they can approve", async () => {
    const submitted = unwrap(await submitRequest(w.deps, ask("nora", "pkg-crm")));
    const id = submitted.request.id;
    const stage = submitted.request.stages[0]!;
    assert.equal(stage.fallbackUsed, true);
    assert.deepEqual(stage.approvers, ["fiona"]);
    const managerLookup = w.graph.server.log.find((c) => c.url.startsWith("/users/nora/manager"))!;
    assert.equal(managerLookup.status, 404, "Graph says nora has no manager");

    const notApprover = await decideApproval(w.deps, approve("mark", id, 1));
    assert.equal(!notApprover.ok && notApprover.error.code, "APPROVAL.NOT_AN_APPROVER");

    const first = unwrap(await decideApproval(w.deps, approve("fiona", id, 1)));
    assert.equal(first.request.stages[0]!.decision?.by, "fiona");
    const second = unwrap(await decideApproval(w.deps, approve("sue", id, 2)));
    await second.followUp;

    assert.equal((await requestOf(w, id)).state, "delivered");
    assert.deepEqual(holdings(w.tenant, "nora"), { member: true, owner: true, appRole: true });
    const actions = await auditActions(w, "nora");
    assert.ok(actions.includes("cardAction.refused"), "the refused click is audited");
    assert.equal(actions.filter((a) => a === "resource.granted").length, 3);
  });
});
