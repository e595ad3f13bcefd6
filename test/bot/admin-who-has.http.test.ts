import assert from "node:assert/strict";
import { parseAccessArgs, runAccessCommand } from "../../src/cli/access";
import { actionData, cardOf, invokeCard, textOf } from "./support/cards";
import { requestBusinessAnalyst } from "./support/flow";
import type { HttpHarness } from "./support/harness";
import { lastMessage, seedHolder, startWithRoles } from "./support/admin";

describe("bot over HTTP: who has a package, and its pending requests", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startWithRoles();
  });
  afterEach(() => h.close());

  const say = async (userId: string, text: string) => {
    await h.channel.say(userId, text);
    return lastMessage(h, userId);
  };

  it("shows a catalog reader the holders: person, state, start, end and how assigned", async () => {
    await seedHolder(h, "lola", "userAdd");
    await seedHolder(h, "ben", "adminAdd");
    const card = cardOf(await say("sara", "who has Busines Analyst?"));
    const text = textOf(card);
    assert.match(text, /Who has Business Analyst/);
    assert.match(text, /2 active assignments/);
    assert.match(text, /Lola Martin[\s\S]*Active[\s\S]*Request/);
    assert.match(text, /Ben Okafor[\s\S]*Direct/);
    assert.match(text, /\{\{DATE\(2026-12-23T10:00:00Z, SHORT\)\}\}/);
    assert.ok(actionData(card, "holders.csv"), "the card offers Export CSV");
    const audit = await h.stores.audit.query({ subject: "package:pkg-ba" });
    assert.ok(audit.some((e) => e.action === "admin.viewed" && e.actor === "sara"));
  });

  it("pages through many holders and exports them as CSV", async () => {
    const people = ["lola", "ben", "ana", "sam", "sara", "noman", "maria"];
    for (let i = 0; i < 12; i++) {
      await seedHolder(h, `${people[i % people.length]}`, "userAdd", {
        packageId: i < 7 ? "pkg-ba" : "pkg-sales",
        policyId: i < 7 ? "pol-ba" : "pol-sales",
        startAt: `2026-11-${String(10 + i).padStart(2, "0")}T10:00:00.000Z`,
      });
    }
    for (let i = 0; i < 5; i++) {
      await seedHolder(h, `guest${i}`, "systemAdd", {
        startAt: `2026-11-0${i + 1}T10:00:00.000Z`,
      });
    }
    const first = await say("maria", "who has business analyst");
    assert.match(textOf(cardOf(first)), /12 active assignments, page 1 of 2/);
    const next = actionData(cardOf(first), "holders.page")!;
    assert.equal(String(next.page), "1");
    const second = invokeCard(await h.channel.invoke("maria", first.id, "holders.page", next));
    assert.match(textOf(second), /page 2 of 2/);
    assert.ok(actionData(second, "holders.page"), "Previous on the last page");
    const csv = invokeCard(
      await h.channel.invoke("maria", first.id, "holders.csv", actionData(cardOf(first), "holders.csv")),
    );
    assert.match(textOf(csv), /CSV export, 12 rows/);
    const input = (csv!.body as Array<{ id?: string; value?: string }>).find((e) => e.id === "csvExport");
    assert.match(input!.value!, /^person,userId,state,start,end,howAssigned,assignmentId\n/);
    assert.match(input!.value!, /\nLola Martin,lola,delivered,2026-11-10T10:00:00.000Z,/);
    assert.equal(actionData(csv, "holders.csv"), undefined, "no second export button");
  });

  it("lists open requests and where each waits", async () => {
    await requestBusinessAnalyst(h);
    const text = textOf(cardOf(await say("sam", "pending business analyst")));
    assert.match(text, /Open requests for Business Analyst/);
    assert.match(text, /Ana Costa/);
    assert.match(text, /Waits for: Stage 1 of 2: Maria Silva \(14 days left\)/);
  });

  it("refuses someone without a catalog role, naming the role, and changes nothing", async () => {
    await seedHolder(h, "lola", "userAdd");
    await requestBusinessAnalyst(h);
    const before = await h.stores.audit.query({ subject: "package:pkg-ba" });
    for (const phrase of ["who has Business Analyst", "pending Business Analyst"]) {
      const text = textOf(cardOf(await say("ben", phrase)));
      assert.match(text, /You need an administrative role/);
      assert.match(text, /catalog reader of the Finance catalog/);
      assert.doesNotMatch(text, /Lola Martin|Ana Costa/);
    }
    const first = await say("ben", "help");
    const forged = invokeCard(
      await h.channel.invoke("ben", first.id, "holders.page", { packageId: "pkg-ba", page: 0 }),
    );
    assert.match(textOf(forged), /catalog reader/);
    const after = await h.stores.audit.query({ subject: "package:pkg-ba" });
    const refusals = after.filter((e) => e.action === "admin.refused" && e.actor === "ben");
    assert.equal(refusals.length, 3);
    assert.equal(after.length - before.length, 3, "only the refusals were written");
  });

  it("lets governance administrators see every catalog", async () => {
    await seedHolder(h, "lola", "userAdd");
    const groupsOf = h.directory.getUserGroupIds.bind(h.directory);
    h.directory.getUserGroupIds = async (id) => (id === "ben" ? ["g-admins"] : groupsOf(id));
    assert.match(textOf(cardOf(await say("ben", "who has business analyst"))), /You need/);
    h.bot.deps.governanceAdministratorsGroupId = "g-admins";
    assert.match(textOf(cardOf(await say("ben", "who has business analyst"))), /Lola Martin/);
  });
});

describe("npm run access -- who-has / pending (the CLI twins)", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  beforeEach(async () => {
    h = await startWithRoles();
    await seedHolder(h, "lola", "userAdd");
  });
  afterEach(() => h.close());

  it("reads the admin verbs with the person they run as", () => {
    assert.deepEqual(parseAccessArgs(["who-has", "Business", "Analyst", "--as", "sara"]), {
      verb: "who-has",
      package: "Business Analyst",
      as: "sara",
      csv: false,
    });
    assert.deepEqual(parseAccessArgs(["pending", "pkg-ba", "--as", "sam"]), {
      verb: "pending",
      package: "pkg-ba",
      as: "sam",
    });
    for (const bad of [
      ["who-has", "pkg-ba"],
      ["who-has", "--as", "sara"],
      ["pending", "x", "--as", "s", "--csv"],
    ])
      assert.equal(parseAccessArgs(bad), undefined, bad.join(" "));
  });

  it("lists and exports the holders for a reader, and refuses someone without a role", async () => {
    const list = await runAccessCommand(h.bot.deps, {
      verb: "who-has",
      package: "busines analyst",
      as: "sara",
      csv: false,
    });
    assert.equal(list.code, 0);
    assert.match(
      list.lines.join("\n"),
      /Business Analyst: 1 active assignment[\s\S]*Lola Martin \(lola\): delivered/,
    );
    const csv = await runAccessCommand(h.bot.deps, {
      verb: "who-has",
      package: "pkg-ba",
      as: "sara",
      csv: true,
    });
    assert.match(
      csv.lines[0]!,
      /^person,userId,state,start,end,howAssigned,assignmentId\r\nLola Martin,lola,delivered/,
    );
    const refusedRun = await runAccessCommand(h.bot.deps, { verb: "pending", package: "pkg-ba", as: "ben" });
    assert.equal(refusedRun.code, 1);
    assert.match(refusedRun.lines[0]!, /ADMIN.ROLE_NEEDED: .*catalog reader/);
  });
});
