import assert from "node:assert/strict";
import { GraphDirectory } from "../../src/adapters/graph/graph-directory";
import { instantSleep, startGraph, type GraphHarness } from "./support/fixture";
import { seedOrg } from "./support/seed";

describe("GraphDirectory over the loopback Graph", () => {
  let g: GraphHarness;
  let now: Date;
  const clock = { now: () => now };

  beforeEach(async () => {
    g = await startGraph({ pageSize: 2, maxPageSize: 2 });
    seedOrg(g.server.tenant);
    now = new Date("2026-11-23T10:00:00Z");
  });
  afterEach(() => g.stop());

  const directory = (opts = {}) => new GraphDirectory(g.transport(), { clock, ...opts });

  it("maps every Graph user field the domain reads", async () => {
    const cleo = await directory({ includeSignInActivity: true }).getUser("cleo");
    assert.deepEqual(cleo, {
      id: "cleo",
      displayName: "Cleo O'Brien",
      userPrincipalName: "cleo@contoso.test",
      mail: "cleo@contoso.test",
      department: "Sales",
      jobTitle: "Account Manager",
      country: "IE",
      companyName: "Contoso",
      city: "Dublin",
      officeLocation: "D2",
      userType: "Member",
      accountEnabled: true,
      managerId: "bob",
      lastSignInAt: "2026-11-20T08:30:00.000Z",
      extensionAttributes: { extensionAttribute1: "EMEA" },
    });
  });

  it("does not ask for signInActivity unless enabled, since it needs extra permission", async () => {
    const cleo = await directory().getUser("cleo");
    assert.equal(cleo?.lastSignInAt, undefined);
    assert.ok(!g.server.log[0].url.includes("signInActivity"));
  });

  it("returns undefined for an unknown user and reads a guest by its #EXT# UPN", async () => {
    const dir = directory();
    assert.equal(await dir.getUser("nobody"), undefined);
    const gus = await dir.getUser("gus_fabrikam.test#EXT#@contoso.test");
    assert.equal(gus?.id, "gus");
    assert.equal(gus?.userType, "Guest");
  });

  it("finds users by exact UPN or mail before trying names", async () => {
    const found = await directory().findUsers("bob@contoso.test");
    assert.deepEqual(
      found.map((u) => u.id),
      ["bob"],
    );
    assert.equal(g.server.log.length, 1);
  });

  it("finds users by display-name prefix with quotes escaped", async () => {
    const found = await directory().findUsers("Cleo O'B");
    assert.deepEqual(
      found.map((u) => u.id),
      ["cleo"],
    );
    assert.match(decodeURIComponent(g.server.log[0].url), /startswith\(displayName,'Cleo O''B'\)/);
  });

  it("falls back to $search with ConsistencyLevel for a word inside the name", async () => {
    const found = await directory().findUsers("Jones", 5);
    assert.deepEqual(
      found.map((u) => u.id),
      ["eve"],
    );
    assert.equal(g.server.log.length, 2);
    assert.match(decodeURIComponent(g.server.log[1].url), /\$search="displayName:Jones"/);
  });

  it("resolves the manager at level 1 and 2, and none for a user without one", async () => {
    const dir = directory();
    assert.equal((await dir.getManager("cleo", 1))?.id, "bob");
    assert.equal((await dir.getManager("cleo", 2))?.id, "ada");
    assert.equal(await dir.getManager("eve", 1), undefined);
    assert.equal(await dir.getManager("bob", 2), undefined);
    const managerCalls = g.server.log.filter((c) => c.url.includes("/manager"));
    assert.ok(managerCalls.some((c) => c.status === 404));
  });

  it("reuses manager and user lookups within the cache TTL and asks again after it", async () => {
    const dir = directory({ cacheTtlMs: 30_000 });
    await dir.getManager("cleo", 2);
    await dir.getManager("cleo", 2);
    await dir.getUser("cleo");
    await dir.getUser("cleo");
    assert.equal(g.server.log.length, 3);
    now = new Date(now.getTime() + 30_001);
    await dir.getManager("cleo", 1);
    assert.equal(g.server.log.length, 4);
  });

  it("pages through @odata.nextLink for reports, members, memberships and all users", async () => {
    const dir = directory();
    assert.deepEqual((await dir.getDirectReports("bob")).map((u) => u.id).sort(), ["cleo", "dan"]);
    assert.deepEqual((await dir.getGroupMemberIds("emea")).sort(), ["bob", "cleo", "dan", "eve"]);
    assert.deepEqual((await dir.getUserGroupIds("cleo")).sort(), ["emea", "sales"]);
    const before = g.server.log.length;
    const users = await dir.listUsers();
    assert.equal(users.length, 6);
    assert.equal(g.server.log.length - before, 3);
  });

  it("follows nextLink across several pages when the server pages small", async () => {
    const t = g.server.tenant;
    for (let i = 0; i < 25; i++) t.addUser({ id: `bulk${i}`, displayName: `Bulk ${i}` });
    const before = g.server.log.length;
    const users = await directory().listUsers();
    assert.equal(users.length, 31);
    assert.equal(new Set(users.map((u) => u.id)).size, 31);
    assert.equal(g.server.log.length - before, 16);
  });

  it("reads a group and returns undefined for an unknown one", async () => {
    const dir = directory();
    assert.deepEqual(await dir.getGroup("sales"), { id: "sales", displayName: "Sales" });
    assert.equal(await dir.getGroup("nope"), undefined);
  });

  it("retries a throttled read after Retry-After and then answers", async () => {
    g.server.faults.throttleNext(1, 2, "request");
    const sleeper = instantSleep();
    const dir = new GraphDirectory(g.transport({ runtime: sleeper.runtime }), { clock });
    assert.equal((await dir.getUser("bob"))?.displayName, "Bob Marley");
    assert.deepEqual(sleeper.waits, [2000]);
  });

  it("throws on a read that fails for good instead of pretending the user is absent", async () => {
    g.server.faults.failNext(1, 403, "request");
    await assert.rejects(directory().getUser("bob"), /403/);
  });
});
