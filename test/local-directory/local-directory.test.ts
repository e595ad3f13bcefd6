import assert from "node:assert/strict";
import {
  LocalDirectory,
  MemoryMembershipStore,
  demoPersonas,
  groupMemberKey,
  loadOrganization,
} from "../../src/adapters/local-directory";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";

const org = loadOrganization("demo/organization.yaml");
const directory = () => new LocalDirectory(org, new MemoryMembershipStore());

describe("the local directory (demo organisation)", () => {
  it("holds a few dozen people in several departments, a CEO at the top", async () => {
    const users = await directory().listUsers();
    assert.ok(users.length >= 30 && users.length <= 40, `${users.length} users`);
    const departments = new Set(users.map((u) => u.department).filter(Boolean));
    for (const d of ["Finance", "Sales", "IT", "Security", "Design", "HR", "Engineering"])
      assert.ok(departments.has(d), d);
    assert.equal((await directory().getUser(DEMO.ceo))!.managerId, undefined);
  });

  it("finds Fred's manager at level 1 and his manager's manager at level 2", async () => {
    const d = directory();
    assert.equal((await d.getManager(DEMO.fred, 1))!.id, DEMO.managerOfFred);
    assert.equal((await d.getManager(DEMO.fred, 2))!.id, DEMO.cfo);
    assert.equal(await d.getManager(DEMO.noManagerUser, 1), undefined);
    assert.equal(await d.getManager(DEMO.ceo, 2), undefined);
  });

  it("has manager chains at least three deep", async () => {
    const d = directory();
    const chain: string[] = [];
    for (let u = await d.getUser(DEMO.fred); u?.managerId; u = await d.getUser(u.managerId))
      chain.push(u.managerId);
    assert.deepEqual(chain, [DEMO.managerOfFred, DEMO.cfo, DEMO.ceo]);
  });

  it("finds users by exact UPN, by mail, and by display name", async () => {
    const d = directory();
    assert.deepEqual((await d.findUsers("Fred.Fischer@contoso.com")).map((u) => u.id)[0], DEMO.fred);
    assert.deepEqual(
      (await d.findUsers("tomas.novak@fabrikam.com")).map((u) => u.id),
      [DEMO.partnerGuest],
    );
    assert.equal((await d.findUsers("lola"))[0]!.id, DEMO.lola);
    assert.equal((await d.findUsers("Cline"))[0]!.id, DEMO.christie, "a later word of the name matches too");
    assert.equal((await d.findUsers("a", 3)).length, 3, "the limit is respected");
    assert.deepEqual(await d.findUsers("   "), []);
  });

  it("lists direct reports and group members", async () => {
    const d = directory();
    const reports = (await d.getDirectReports(DEMO.managerOfFred)).map((u) => u.id);
    assert.ok(reports.includes(DEMO.fred) && reports.includes(DEMO.lola));
    assert.deepEqual(
      (await d.getGroupMemberIds(DEMO.groups.securityTeam)).sort(),
      [DEMO.ciso, DEMO.securityApprover, "11111111-0000-4000-8000-000000000012"].sort(),
    );
    assert.equal((await d.getGroup(DEMO.groups.securityTeam))!.displayName, "Security Team");
    assert.equal(await d.getGroup("no-such-group"), undefined);
  });

  it("expands nested groups both ways", async () => {
    const d = directory();
    const allSales = await d.getGroupMemberIds(DEMO.groups.allSales);
    assert.ok(
      allSales.includes(DEMO.gerhart) &&
        allSales.includes(DEMO.amerSalesRep) &&
        allSales.includes(DEMO.salesVp),
    );
    const gerhartGroups = await d.getUserGroupIds(DEMO.gerhart);
    assert.ok(gerhartGroups.includes(DEMO.groups.salesEmea));
    assert.ok(gerhartGroups.includes(DEMO.groups.allSales), "member of All Sales through Sales EMEA");
  });

  it("has Lola holding Business Analyst resources and Fred holding none of them", async () => {
    const d = directory();
    assert.ok((await d.getUserGroupIds(DEMO.lola)).includes(DEMO.groups.financeReports));
    assert.ok(!(await d.getUserGroupIds(DEMO.fred)).includes(DEMO.groups.financeReports));
  });

  it("models a Fabrikam guest, a user without manager and stale sign-ins", async () => {
    const d = directory();
    const guest = (await d.getUser(DEMO.partnerGuest))!;
    assert.equal(guest.userType, "Guest");
    assert.equal(guest.connectedOrganizationId, "fabrikam");
    assert.equal((await d.getUser(DEMO.noManagerUser))!.managerId, undefined);
    const stale = (await d.listUsers()).filter((u) => u.lastSignInAt && u.lastSignInAt < "2026-06-01");
    assert.ok(stale.length >= 3);
  });

  it("reflects changes recorded in the membership store, including revoking an initial membership", async () => {
    const store = new MemoryMembershipStore();
    const d = new LocalDirectory(org, store);
    await store.set(groupMemberKey(DEMO.groups.financeReports), DEMO.fred, true);
    await store.set(groupMemberKey(DEMO.groups.financeReports), DEMO.lola, false);
    const members = await d.getGroupMemberIds(DEMO.groups.financeReports);
    assert.ok(members.includes(DEMO.fred));
    assert.ok(!members.includes(DEMO.lola));
    assert.ok(!(await d.getUserGroupIds(DEMO.lola)).includes(DEMO.groups.financeReports));
  });

  it("names every well-known id and persona in the organisation file", async () => {
    const d = directory();
    const userIds = Object.entries(DEMO).filter(([, v]) => typeof v === "string" && v.startsWith("1111"));
    for (const [name, id] of userIds) assert.ok(await d.getUser(id as string), `DEMO.${name}`);
    for (const [name, id] of Object.entries(DEMO.groups))
      assert.ok(await d.getGroup(id), `DEMO.groups.${name}`);
    for (const [name, id] of Object.entries(DEMO.servicePrincipals))
      assert.ok(d.getServicePrincipal(id), name);
    const personas = demoPersonas();
    assert.ok(personas.length >= 6);
    for (const p of personas) assert.equal((await d.getUser(p.id))!.displayName, p.displayName);
  });
});
