import assert from "node:assert/strict";
import { GraphTenantObjects } from "../../src/adapters/graph/tenant-objects";
import { parseGovernance, type GovernanceFiles } from "../../src/governance/load";
import { formatProblem } from "../../src/governance/problems";
import { startGraph, type GraphHarness } from "../graph/support/fixture";
import { denyPermission, REAL, seedRealTenant } from "../graph/support/real-tenant";

const CATALOGS = `catalogs:
  - id: projects
    name: Projects
    externallyVisible: true
`;
const ORGS = `connectedOrganizations:
  - id: fabrikam
    name: Fabrikam
    domains: [fabrikam.com]
    internalSponsors: [${REAL.christie}]
    externalSponsors: [${REAL.rob}]
`;

/** One package whose resources and approvers are given; everything else valid. */
function files(resources: string, approvers: string, orgs = ORGS): GovernanceFiles {
  return {
    catalogs: { name: "governance/catalogs.yaml", text: CATALOGS },
    connectedOrganizations: { name: "governance/connected-organizations.yaml", text: orgs },
    packages: [
      {
        name: "governance/packages/erp-project.yaml",
        text: `name: ERP Project
catalogId: projects
resources:
${resources}
policies:
  - id: erp-partners
    name: Partners
    requestors: { kind: connectedOrganizations, organizationIds: [fabrikam] }
    approval:
      stages:
${approvers}
`,
      },
    ],
  };
}

const GOOD_RESOURCES = `  - kind: groupMember
    groupId: ${REAL.erpUsers}
    displayName: ERP Project Members
  - kind: appRole
    servicePrincipalId: ${REAL.erpApp}
    appRoleId: ${REAL.erpUserRole}
    displayName: SAP ERP
    roleName: ERP.User`;
const GOOD_APPROVERS = `        - primaryApprovers: [{ kind: users, userIds: [${REAL.christie}] }]
          fallbackApprovers: [{ kind: groupMembers, groupId: ${REAL.erpLeads} }]`;

describe("governance files checked against the tenant (Graph mode)", () => {
  let g: GraphHarness;
  beforeEach(async () => {
    g = await startGraph();
    seedRealTenant(g.server.tenant);
  });
  afterEach(() => g.stop());

  const check = (f: GovernanceFiles) =>
    parseGovernance(f, { tenant: new GraphTenantObjects(g.transport({ retry: { maxRetries: 0 } })) });

  it("names the file, the path and the object for everything the tenant lacks or cannot grant", async () => {
    const result = await check(
      files(
        `  - kind: groupMember
    groupId: ${REAL.allSales}
    displayName: All Sales
  - kind: groupMember
    groupId: ${REAL.tier0Admins}
    displayName: Tier 0
  - kind: groupMember
    groupId: ${REAL.globalAdminRole}
    displayName: Global admins
  - kind: appRole
    servicePrincipalId: ${REAL.erpApp}
    appRoleId: role-nope
    displayName: SAP ERP
    roleName: Admin
  - kind: appRole
    servicePrincipalId: sp-missing
    appRoleId: role-x
    displayName: Gone
    roleName: X`,
        GOOD_APPROVERS,
        ORGS.replace(`[${REAL.rob}]`, `[${REAL.rob}, u-gone]`),
      ),
    );
    assert.ok(!result.ok);
    const lines = result.problems.map(formatProblem);
    const expected = [
      "governance/connected-organizations.yaml: connectedOrganizations[0].externalSponsors[1]: no user with id u-gone in the tenant",
      `governance/packages/erp-project.yaml: resources[0].groupId: All Sales (dynamic) (${REAL.allSales}) is a dynamic group`,
      `governance/packages/erp-project.yaml: resources[1].groupId: Tier 0 Admins (${REAL.tier0Admins}) is role-assignable: its members may hold directory roles — use PIM for privileged roles`,
      `governance/packages/erp-project.yaml: resources[2].groupId: Global Administrator (${REAL.globalAdminRole}) is a directory role, not a group — use PIM for privileged roles`,
      `governance/packages/erp-project.yaml: resources[3].appRoleId: service principal SAP ERP (${REAL.erpApp}) has no app role role-nope — its app roles: ERP.User (${REAL.erpUserRole})`,
      "governance/packages/erp-project.yaml: resources[4].servicePrincipalId: no service principal with id sp-missing in the tenant",
    ];
    for (const start of expected)
      assert.ok(
        lines.some((l) => l.startsWith(start)),
        `missing ${start}\n${lines.join("\n")}`,
      );
    assert.equal(lines.length, expected.length, lines.join("\n"));
    assert.ok(lines.every((l) => / \(line \d+, column \d+\)$/.test(l)));
  });

  it("warns about a disabled approver and an approver group without members, and still loads", async () => {
    const result = await check(
      files(
        GOOD_RESOURCES,
        `        - primaryApprovers: [{ kind: users, userIds: [${REAL.lee}] }]
          fallbackApprovers: [{ kind: groupMembers, groupId: ${REAL.emptyApprovers} }]`,
      ),
    );
    assert.ok(result.ok, result.ok ? "" : result.problems.map(formatProblem).join("\n"));
    assert.deepEqual(result.warnings?.map(formatProblem), [
      `governance/packages/erp-project.yaml: policies[0].approval.stages[0].primaryApprovers[0].userIds[0]: Lee Gu (${REAL.lee}) is disabled and cannot approve or review — name someone else, or make sure the fallback approvers cover it (line 18, column 55)`,
      `governance/packages/erp-project.yaml: policies[0].approval.stages[0].fallbackApprovers[0].groupId: Weekend Approvers (${REAL.emptyApprovers}) has no members: nobody in it can approve or review — add members, or make sure the fallback approvers cover it (line 19, column 62)`,
    ]);
  });

  it("reads every object in $batch requests of at most 20", async () => {
    const result = await check(files(GOOD_RESOURCES, GOOD_APPROVERS));
    assert.ok(result.ok);
    assert.equal(result.warnings, undefined);
    const requests = g.server.requestsOf("request");
    assert.ok(
      requests.every((r) => r.url === "/$batch"),
      requests.map((r) => r.url).join(", "),
    );
    const items = g.server.requestsOf("item").map((i) => i.url.split("?")[0]);
    for (const path of [
      `/users/${REAL.christie}`,
      `/groups/${REAL.erpUsers}`,
      `/servicePrincipals/${REAL.erpApp}`,
    ])
      assert.ok(items.includes(path), `${path} not read: ${items.join(", ")}`);
  });

  it("refuses to call the files fine when a permission is missing", async () => {
    denyPermission(g.server, (_m, path) => path.startsWith("/servicePrincipals/"));
    await assert.rejects(
      check(files(GOOD_RESOURCES, GOOD_APPROVERS)),
      /answered 403: Insufficient privileges/,
    );
  });

  it("refuses a SharePoint role other than Member or Owner at plan time, whatever the directory", async () => {
    const result = await parseGovernance(
      files(
        `  - kind: siteRole
    groupId: ${REAL.marketingSite}
    siteUrl: https://contoso.sharepoint.com/sites/marketing
    displayName: Global Marketing
    roleName: Visitor`,
        GOOD_APPROVERS,
      ),
    );
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map(formatProblem), [
      `governance/packages/erp-project.yaml: resources[0].roleName: the SharePoint role "Visitor" cannot be granted: a group-connected site grants Member (group members) or Owner (group owners) — use roleName Member or Owner, or for Visitor access grant a group that is in the site's Visitors SharePoint group (kind: groupMember) (line 8, column 15)`,
    ]);
  });
});
