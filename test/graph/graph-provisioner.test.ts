import assert from "node:assert/strict";
import type { ResourceRole } from "../../src/domain/model";
import { GraphProvisioner } from "../../src/adapters/graph/graph-provisioner";
import type { ProvisioningOperation } from "../../src/ports/provisioner";
import { instantSleep, startGraph, type GraphHarness } from "./support/fixture";
import { seedOrg } from "./support/seed";

const member: ResourceRole = { kind: "groupMember", groupId: "crm-users", displayName: "CRM users" };
const owner: ResourceRole = { kind: "groupOwner", groupId: "sales", displayName: "Sales" };
const reader: ResourceRole = {
  kind: "appRole",
  servicePrincipalId: "sp-crm",
  appRoleId: "role-reader",
  displayName: "CRM",
  roleName: "Reader",
};
const siteOwner: ResourceRole = {
  kind: "siteRole",
  groupId: "sales",
  siteUrl: "https://contoso.sharepoint.com/sites/sales",
  displayName: "Sales site",
  roleName: "Owner",
};
const siteMember: ResourceRole = { ...siteOwner, roleName: "Member" };
const team: ResourceRole = { kind: "teamMember", groupId: "crm-users", displayName: "CRM team" };

const grant = (userId: string, role: ResourceRole): ProvisioningOperation => ({
  action: "grant",
  userId,
  role,
});
const revoke = (userId: string, role: ResourceRole): ProvisioningOperation => ({
  action: "revoke",
  userId,
  role,
});

describe("GraphProvisioner over the loopback Graph", () => {
  let g: GraphHarness;
  let sleeper: ReturnType<typeof instantSleep>;
  let provisioner: GraphProvisioner;

  beforeEach(async () => {
    g = await startGraph();
    seedOrg(g.server.tenant);
    sleeper = instantSleep();
    provisioner = new GraphProvisioner(g.transport({ runtime: sleeper.runtime }));
  });
  afterEach(() => g.stop());

  const items = () => g.server.requestsOf("item");
  const tenant = () => g.server.tenant;

  it("grants and revokes group membership through $batch with a directoryObjects $ref", async () => {
    assert.deepEqual(await provisioner.apply([grant("eve", member)]), [{ status: "done" }]);
    assert.ok(tenant().groups.get("crm-users")!.members.has("eve"));
    assert.deepEqual(items()[0], { ...items()[0], method: "POST", url: "/groups/crm-users/members/$ref" });
    assert.deepEqual(items()[0].body, {
      "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/eve",
    });
    assert.equal(g.server.requestsOf("request")[0].url, "/$batch");

    assert.deepEqual(await provisioner.apply([revoke("eve", member)]), [{ status: "done" }]);
    assert.ok(!tenant().groups.get("crm-users")!.members.has("eve"));
    assert.equal(items()[1].url, "/groups/crm-users/members/eve/$ref");
  });

  it("grants and revokes group ownership through /owners/$ref", async () => {
    assert.deepEqual(await provisioner.apply([grant("cleo", owner)]), [{ status: "done" }]);
    assert.ok(tenant().groups.get("sales")!.owners.has("cleo"));
    assert.deepEqual(await provisioner.apply([revoke("cleo", owner)]), [{ status: "done" }]);
    assert.deepEqual(
      items().map((c) => `${c.method} ${c.url}`),
      ["POST /groups/sales/owners/$ref", "DELETE /groups/sales/owners/cleo/$ref"],
    );
  });

  it("grants an app role and revokes it by looking up the assignment id first", async () => {
    assert.deepEqual(await provisioner.apply([grant("eve", reader)]), [{ status: "done" }]);
    const [assignment] = tenant().servicePrincipals.get("sp-crm")!.assignments;
    assert.deepEqual(items()[0].body, { principalId: "eve", resourceId: "sp-crm", appRoleId: "role-reader" });

    assert.deepEqual(await provisioner.apply([revoke("eve", reader)]), [{ status: "done" }]);
    assert.equal(tenant().servicePrincipals.get("sp-crm")!.assignments.length, 0);
    assert.deepEqual(
      items()
        .slice(1)
        .map((c) => `${c.method} ${decodeURIComponent(c.url)}`),
      [
        "GET /users/eve/appRoleAssignments?$filter=resourceId eq sp-crm",
        `DELETE /servicePrincipals/sp-crm/appRoleAssignedTo/${assignment.id}`,
      ],
    );
  });

  it("grants a site owner role as group owner and other site roles and Teams as membership", async () => {
    const outcomes = await provisioner.apply([
      grant("eve", siteOwner),
      grant("eve", siteMember),
      grant("ada", team),
    ]);
    assert.deepEqual(outcomes, [{ status: "done" }, { status: "done" }, { status: "done" }]);
    assert.ok(tenant().groups.get("sales")!.owners.has("eve"));
    assert.ok(tenant().groups.get("sales")!.members.has("eve"));
    assert.ok(tenant().groups.get("crm-users")!.members.has("ada"));
  });

  it("answers unchanged when granting what the user already holds, and changes nothing", async () => {
    await provisioner.apply([grant("eve", member), grant("eve", reader)]);
    const again = await provisioner.apply([grant("eve", member), grant("eve", reader)]);
    assert.deepEqual(again, [{ status: "unchanged" }, { status: "unchanged" }]);
    assert.equal(tenant().applied.length, 2);
    assert.deepEqual(
      items()
        .slice(2)
        .map((c) => c.status),
      [400, 400],
    );
  });

  it("answers unchanged when revoking what the user does not hold", async () => {
    const outcomes = await provisioner.apply([
      revoke("eve", member),
      revoke("eve", owner),
      revoke("eve", reader),
    ]);
    assert.deepEqual(outcomes, [{ status: "unchanged" }, { status: "unchanged" }, { status: "unchanged" }]);
    assert.equal(tenant().applied.length, 0);
    assert.ok(
      !items().some((c) => c.url.includes("appRoleAssignedTo")),
      "no app-role DELETE without an assignment",
    );
  });

  it("keeps an app role the user gets through a group when revoking the direct one", async () => {
    tenant().assignAppRole(tenant().servicePrincipals.get("sp-crm")!, "sales", "role-reader");
    assert.deepEqual(await provisioner.apply([revoke("cleo", reader)]), [{ status: "unchanged" }]);
    assert.equal(tenant().servicePrincipals.get("sp-crm")!.assignments.length, 1);
  });

  it("never deletes anything but links: every removal ends in /$ref or names an assignment", async () => {
    await provisioner.apply([grant("eve", member), grant("eve", owner), grant("eve", reader)]);
    await provisioner.apply([
      revoke("eve", member),
      revoke("eve", owner),
      revoke("eve", reader),
      revoke("dan", member),
    ]);
    const deletes = items().filter((c) => c.method === "DELETE");
    assert.equal(deletes.length, 4);
    for (const d of deletes) assert.match(d.url, /\/\$ref$|\/appRoleAssignedTo\/ara-\d+$/);
    assert.ok(tenant().users.has("eve") && tenant().users.has("dan"));
  });

  it("tells whether the user holds a membership, an ownership or an app role", async () => {
    assert.equal(await provisioner.holds("cleo", { ...member, groupId: "sales" }), true);
    assert.equal(await provisioner.holds("eve", member), false);
    assert.equal(await provisioner.holds("bob", owner), true);
    assert.equal(await provisioner.holds("cleo", owner), false);
    assert.equal(await provisioner.holds("bob", siteOwner), true);
    assert.equal(await provisioner.holds("eve", reader), false);
    await provisioner.apply([grant("eve", reader)]);
    assert.equal(await provisioner.holds("eve", reader), true);
    assert.ok(g.server.requestsOf("request").every((c) => c.status === 200 || c.url === "/$batch"));
  });

  it("sends at most 20 operations per $batch and keeps outcomes in order", async () => {
    for (let i = 0; i < 45; i++) tenant().addUser({ id: `u${i}`, displayName: `User ${i}` });
    const ops = Array.from({ length: 45 }, (_, i) => grant(`u${i}`, member));
    ops[7] = grant("ghost", member);
    const outcomes = await provisioner.apply(ops);
    const batches = g.server.requestsOf("request");
    assert.equal(batches.length, 3);
    const sizes = [...new Set(items().map((c) => c.batch))].map(
      (b) => items().filter((c) => c.batch === b).length,
    );
    assert.deepEqual(sizes, [20, 20, 5]);
    assert.equal(outcomes[7].status, "failed");
    assert.equal(outcomes.filter((o) => o.status === "done").length, 44);
  });
});
