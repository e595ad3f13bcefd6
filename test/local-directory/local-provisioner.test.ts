import assert from "node:assert/strict";
import {
  LocalDirectory,
  LocalProvisioner,
  MemoryMembershipStore,
  loadOrganization,
  type FaultHook,
} from "../../src/adapters/local-directory";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { ResourceRole } from "../../src/domain/model";

const org = loadOrganization("demo/organization.yaml");
const financeReports: ResourceRole = {
  kind: "groupMember",
  groupId: DEMO.groups.financeReports,
  displayName: "Finance Reports",
};
const analyticsTeam: ResourceRole = {
  kind: "teamMember",
  groupId: DEMO.groups.analytics,
  displayName: "Analytics",
};
const powerBi: ResourceRole = {
  kind: "appRole",
  servicePrincipalId: DEMO.servicePrincipals.powerBi,
  appRoleId: DEMO.appRoles.powerBiReportViewer,
  displayName: "Power BI",
  roleName: "Report Viewer",
};

function setup(fault?: FaultHook) {
  const directory = new LocalDirectory(org, new MemoryMembershipStore());
  return { directory, provisioner: new LocalProvisioner(directory, fault ? { fault } : {}) };
}

describe("local provisioning", () => {
  it("grants group, team and app role access to Fred", async () => {
    const { directory, provisioner } = setup();
    const outcomes = await provisioner.apply(
      [financeReports, analyticsTeam, powerBi].map((role) => ({
        action: "grant" as const,
        userId: DEMO.fred,
        role,
      })),
    );
    assert.deepEqual(outcomes, [{ status: "done" }, { status: "done" }, { status: "done" }]);
    assert.ok((await directory.getGroupMemberIds(DEMO.groups.analytics)).includes(DEMO.fred));
    assert.equal(await provisioner.holds(DEMO.fred, powerBi), true);
  });

  it("is idempotent: granting what is held and revoking what is absent are unchanged", async () => {
    const { provisioner } = setup();
    assert.deepEqual(
      await provisioner.apply([{ action: "grant", userId: DEMO.lola, role: financeReports }]),
      [{ status: "unchanged" }],
    );
    assert.deepEqual(await provisioner.apply([{ action: "revoke", userId: DEMO.fred, role: powerBi }]), [
      { status: "unchanged" },
    ]);
    await provisioner.apply([{ action: "grant", userId: DEMO.fred, role: financeReports }]);
    assert.deepEqual(
      await provisioner.apply([{ action: "grant", userId: DEMO.fred, role: financeReports }]),
      [{ status: "unchanged" }],
    );
  });

  it("revokes an initial membership and remembers it", async () => {
    const { directory, provisioner } = setup();
    assert.deepEqual(await provisioner.apply([{ action: "revoke", userId: DEMO.lola, role: powerBi }]), [
      { status: "done" },
    ]);
    assert.equal(await provisioner.holds(DEMO.lola, powerBi), false);
    assert.ok(
      !(
        await directory.holderIds(
          `app:${DEMO.servicePrincipals.powerBi}:${DEMO.appRoles.powerBiReportViewer}`,
        )
      ).includes(DEMO.lola),
    );
  });

  it("fails without retry for a group, app role or user that does not exist", async () => {
    const { provisioner } = setup();
    const outcomes = await provisioner.apply([
      { action: "grant", userId: DEMO.fred, role: { ...financeReports, groupId: "no-group" } },
      { action: "grant", userId: DEMO.fred, role: { ...powerBi, appRoleId: "no-role" } },
      { action: "grant", userId: "no-user", role: financeReports },
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status === "failed" && o.retryable),
      [false, false, false],
    );
  });

  it("reports an injected fault for one operation and carries on with the rest", async () => {
    const { provisioner } = setup((op) =>
      op.role.kind === "appRole"
        ? { status: "failed", retryable: true, error: "throttled", retryAfterMs: 1000 }
        : undefined,
    );
    const outcomes = await provisioner.apply(
      [powerBi, financeReports].map((role) => ({ action: "grant" as const, userId: DEMO.fred, role })),
    );
    assert.deepEqual(outcomes, [
      { status: "failed", retryable: true, error: "throttled", retryAfterMs: 1000 },
      { status: "done" },
    ]);
    assert.equal(await provisioner.holds(DEMO.fred, powerBi), false);
  });

  it("turns a storage error into a retryable failure instead of throwing", async () => {
    const store = new MemoryMembershipStore();
    store.set = async () => {
      throw new Error("storage unavailable");
    };
    const provisioner = new LocalProvisioner(new LocalDirectory(org, store));
    const [outcome] = await provisioner.apply([{ action: "grant", userId: DEMO.fred, role: financeReports }]);
    assert.deepEqual(outcome, { status: "failed", retryable: true, error: "storage unavailable" });
  });
});
