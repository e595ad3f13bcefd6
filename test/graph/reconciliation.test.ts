import assert from "node:assert/strict";
import { GraphProvisioner } from "../../src/adapters/graph/graph-provisioner";
import { reconcileAccess } from "../../src/app/reconcile/reconcile-access";
import type { ResourceRole } from "../../src/domain/model";
import { granted, reconciledConfig } from "../reconciliation/support";
import { memoryStores } from "../support/stores";
import { buildWorld } from "../support/world";
import { instantSleep, startGraph, type GraphHarness } from "./support/fixture";
import { graphError } from "./support/graph-errors";
import { seedOrg } from "./support/seed";

const crmUsers: ResourceRole = { kind: "groupMember", groupId: "crm-users", displayName: "CRM users" };
const salesOwner: ResourceRole = { kind: "groupOwner", groupId: "sales", displayName: "Sales owners" };
const reader: ResourceRole = {
  kind: "appRole",
  servicePrincipalId: "sp-crm",
  appRoleId: "role-reader",
  displayName: "CRM",
  roleName: "Reader",
};

describe("the reconciliation sweep against the loopback Microsoft Graph", () => {
  let g: GraphHarness;
  beforeEach(async () => {
    g = await startGraph({ pageSize: 2 });
    seedOrg(g.server.tenant);
  });
  afterEach(() => g.stop());

  function open(outOfBand?: "report" | "remove") {
    const provisioner = new GraphProvisioner(g.transport({ runtime: instantSleep().runtime }));
    return buildWorld({
      stores: memoryStores(reconciledConfig([crmUsers, salesOwner, reader], outOfBand)),
      provisioner,
    });
  }

  /** Eve's grants are all in place but CRM users (removed in the portal); Ada, Cleo, Dan were added there. */
  async function driftedTenant(w: ReturnType<typeof open>) {
    const t = g.server.tenant;
    await w.stores.assignments.create(granted("asg-eve", "eve", [crmUsers, salesOwner, reader]));
    t.groups.get("sales")!.owners.add("eve");
    t.assignAppRole(t.servicePrincipals.get("sp-crm")!, "eve", "role-reader");
    for (const outsider of ["ada", "cleo", "dan"]) t.groups.get("crm-users")!.members.add(outsider);
  }

  it("reads members through /groups/delta, gives back Eve's membership and reports the outsiders", async () => {
    const w = open();
    await driftedTenant(w);
    const report = await reconcileAccess(w.deps);
    const deltas = g.server.requestsOf("request").filter((r) => r.url.startsWith("/groups/delta"));
    assert.ok(deltas.length >= 2, "the members came over several delta pages");
    assert.match(decodeURIComponent(deltas[0]!.url), /\$filter=id eq 'crm-users'.*\$select=members/);
    assert.ok(g.server.tenant.groups.get("crm-users")!.members.has("eve"), "Eve's membership was given back");
    assert.deepEqual(report.findings, [
      { key: "member:crm-users", outOfBand: ["ada", "cleo", "dan"], removed: [], reapplied: ["eve"] },
      { key: "owner:sales", outOfBand: ["bob"], removed: [], reapplied: [] },
    ]);
    assert.equal(w.events.ofType("DriftFound").length, 1);
  });

  it("removes the outsiders with /$ref when the policy opts in", async () => {
    const w = open("remove");
    await driftedTenant(w);
    await reconcileAccess(w.deps);
    assert.deepEqual([...g.server.tenant.groups.get("crm-users")!.members].sort(), ["eve"]);
    assert.deepEqual([...g.server.tenant.groups.get("sales")!.owners], ["eve"]);
    const deletes = g.server.requestsOf("item").filter((r) => r.method === "DELETE");
    assert.ok(deletes.length === 4 && deletes.every((r) => r.url.endsWith("/$ref")), JSON.stringify(deletes));
  });

  it("decides nothing on a role whose holders could not be read", async () => {
    const w = open("remove");
    await driftedTenant(w);
    g.server.faults.failMatching(
      (_method, path) => path.startsWith("/groups/delta"),
      () =>
        graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    );
    const report = await reconcileAccess(w.deps);
    assert.deepEqual(
      report.findings.map((f) => f.key),
      ["owner:sales"],
    );
    assert.equal(g.server.tenant.groups.get("crm-users")!.members.size, 3, "nobody taken out of CRM users");
  });
});
