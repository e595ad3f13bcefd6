import assert from "node:assert/strict";
import { LocalDirectory, MemoryMembershipStore, loadOrganization } from "../../src/adapters/local-directory";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { GovernanceConfig } from "../../src/domain/model";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores } from "../support/stores";
import { applyGovernance } from "../../src/governance/apply";
import { loadGovernance } from "../../src/governance/load";
import { formatProblem } from "../../src/governance/problems";

async function demoGovernance(): Promise<GovernanceConfig> {
  const org = loadOrganization("demo/organization.yaml");
  const result = await loadGovernance("governance", {
    directory: new LocalDirectory(org, new MemoryMembershipStore()),
    appRoleExists: (sp, role) =>
      org.servicePrincipals.some((s) => s.id === sp && s.appRoles.some((r) => r.id === role)),
  });
  assert.ok(result.ok, result.ok ? "" : result.problems.map(formatProblem).join("\n"));
  return result.config;
}

describe("the demo governance configuration", () => {
  it("validates against the demo organisation", async () => {
    const config = await demoGovernance();
    assert.deepEqual(
      config.catalogs.map((c) => c.name),
      ["General", "Sales", "Projects", "Design"],
    );
    assert.equal(config.catalogs.find((c) => c.id === "projects")!.externallyVisible, true);
    assert.deepEqual(config.catalogs.find((c) => c.id === "design")!.owners, [DEMO.catalogOwnerDesign]);
    assert.deepEqual(config.catalogs.find((c) => c.id === "general")!.channel, DEMO.channel);
    assert.ok(config.packages.some((p) => p.hidden));
  });

  it("declares catalog roles as in Entra: readers and assignment managers besides the owners", async () => {
    const config = await demoGovernance();
    const general = config.catalogs.find((c) => c.id === "general")!;
    assert.deepEqual(general.accessPackageAssignmentManagers, ["11111111-0000-4000-8000-000000000008"]);
    assert.deepEqual(general.readers, ["11111111-0000-4000-8000-000000000010"]);
    const sales = config.catalogs.find((c) => c.id === "sales")!;
    assert.deepEqual(sales.accessPackageManagers, ["11111111-0000-4000-8000-000000000015"]);
    assert.equal(config.catalogs.find((c) => c.id === "design")!.readers, undefined);
  });

  it("gives Business Analyst the two-stage approval of the articles", async () => {
    const config = await demoGovernance();
    const policy = config.policies.find((p) => p.packageId === DEMO.packages.businessAnalyst)!;
    assert.equal(policy.requestors.kind, "allMembers");
    assert.equal(policy.request.justificationRequired, true);
    const [manager, security] = policy.approval.stages;
    assert.deepEqual(manager!.primaryApprovers, [{ kind: "manager", level: 1 }]);
    assert.deepEqual(manager!.fallbackApprovers, [{ kind: "users", userIds: [DEMO.itApprover] }]);
    assert.deepEqual(security!.primaryApprovers, [
      { kind: "groupMembers", groupId: DEMO.groups.securityTeam },
    ]);
    assert.equal(security!.approverJustificationRequired, true);
    assert.equal(security!.decisionWindowDays, 14);
    assert.deepEqual(policy.lifecycle.expiry, { kind: "afterDays", days: 30 });
    assert.deepEqual(policy.lifecycle.extension, { allowed: true, requiresApproval: true });
    assert.equal(policy.lifecycle.review!.recurrence, "monthly");
    assert.equal(policy.lifecycle.review!.ifNoResponse, "remove");
  });

  it("keeps the regional sales packages mutually exclusive and EMEA assigned by rule", async () => {
    const config = await demoGovernance();
    const emea = config.packages.find((p) => p.id === DEMO.packages.emeaSales)!;
    assert.deepEqual(emea.incompatiblePackageIds, ["amer-sales", "apac-sales"]);
    const auto = config.policies.find((p) => p.packageId === emea.id && p.autoAssignment)!;
    assert.match(auto.autoAssignment!.rule, /user\.department -eq "Sales"/);
    assert.ok(config.packages.find((p) => p.id === DEMO.packages.salesforce)!.keywords.includes("crm"));
  });

  it("lets Fabrikam request the ERP project with a required role question, approved by Christie", async () => {
    const config = await demoGovernance();
    const policy = config.policies.find((p) => p.id === "erp-project-fabrikam")!;
    assert.deepEqual(policy.requestors, { kind: "connectedOrganizations", organizationIds: ["fabrikam"] });
    assert.deepEqual(policy.request.questions[0], {
      id: "project-role",
      text: "Your role on the ERP project",
      kind: "shortText",
      required: true,
    });
    assert.deepEqual(policy.approval.stages[0]!.primaryApprovers, [
      { kind: "users", userIds: [DEMO.christie] },
    ]);
    assert.equal(policy.lifecycle.review!.recurrence, "quarterly");
    assert.ok(policy.lifecycle.review!.fallbackReviewers.length > 0);
  });

  describe("applied to Azure Table Storage (Azurite)", () => {
    const azurite = azuriteForSuite();

    it("applies once and then has nothing left to apply", async () => {
      const stores = await azuriteStores(azurite(), { tablePrefix: "GovDemo" });
      const desired = await demoGovernance();
      const input = { store: stores.governance, audit: stores.audit, desired, actor: "system" as const };
      const first = await applyGovernance({ ...input, now: "2026-11-23T10:00:00.000Z" });
      assert.equal(first.length, 4 + 2 + desired.packages.length + desired.policies.length);
      assert.deepEqual(await applyGovernance({ ...input, now: "2026-11-23T10:05:00.000Z" }), []);
      const audited = await stores.audit.query({ limit: 100 });
      assert.equal(audited.filter((e) => e.action === "config.changed").length, first.length);
    });
  });
});
