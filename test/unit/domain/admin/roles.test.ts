import assert from "node:assert/strict";
import { mayAdminister, roleIn, type AdminVerb } from "../../../../src/domain/admin/roles";
import type { Catalog } from "../../../../src/domain/model";

const catalog: Catalog = {
  id: "sales",
  name: "Sales",
  description: "",
  owners: ["olga"],
  accessPackageManagers: ["pia"],
  accessPackageAssignmentManagers: ["amir"],
  readers: ["rita"],
  enabled: true,
  externallyVisible: false,
};
const person = (userId: string, groupIds: string[] = []) => ({ userId, groupIds });

describe("administrative roles", () => {
  const table: [string, AdminVerb, boolean][] = [
    ["olga", "viewAssignments", true],
    ["olga", "manageAssignments", true],
    ["pia", "manageAssignments", true],
    ["amir", "manageAssignments", true],
    ["amir", "viewAssignments", true],
    ["rita", "viewAssignments", true],
    ["rita", "manageAssignments", false],
    ["nobody", "viewAssignments", false],
    ["nobody", "manageAssignments", false],
  ];
  for (const [who, verb, allowed] of table) {
    it(`${allowed ? "lets" : "refuses"} ${who} ${verb}`, () => {
      assert.equal(mayAdminister(person(who), catalog, verb, "EMEA Sales").ok, allowed);
    });
  }

  it("names the role needed in a refusal", () => {
    const refused = mayAdminister(person("rita"), catalog, "manageAssignments", "EMEA Sales");
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, "ADMIN.ROLE_NEEDED");
    assert.match(refused.error.message, /an access package assignment manager of the Sales catalog/);
    assert.equal(refused.error.details?.roleNeeded, "accessPackageAssignmentManager");
  });

  it("gives governance administrators every verb on every catalog, and nobody else through a group", () => {
    assert.equal(roleIn(person("gail", ["admins"]), catalog, "admins"), "governanceAdministrator");
    assert.ok(mayAdminister(person("gail", ["admins"]), undefined, "manageAssignments", "X", "admins").ok);
    assert.equal(roleIn(person("gail", ["admins"]), catalog), undefined);
    assert.equal(roleIn(person("gail", ["others"]), catalog, "admins"), undefined);
  });

  it("fails closed for a package without a catalog", () => {
    assert.ok(!mayAdminister(person("olga"), undefined, "viewAssignments", "X").ok);
  });
});
