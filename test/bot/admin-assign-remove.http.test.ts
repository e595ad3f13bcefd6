import assert from "node:assert/strict";
import { parseAccessArgs, runAccessCommand } from "../../src/cli/access";
import { cardOf, textOf } from "./support/cards";
import type { HttpHarness } from "./support/harness";
import { answerTo, seedHolder, startWithRoles } from "./support/admin";

describe("bot over HTTP: an administrator assigns and removes access", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startWithRoles();
  });
  afterEach(() => h.close());

  /** The bot's answer to the phrase (notices that follow it, such as a delivered card, come later). */
  const say = async (userId: string, text: string) => {
    const answer = await answerTo(h, userId, text);
    await h.settle();
    return textOf(cardOf(answer));
  };
  const chatOf = (userId: string) =>
    h.channel
      .activities(h.channel.conversationOf(userId))
      .map((a) => textOf(cardOf(a)))
      .join("\n");

  it("assigns for a number of days, tells the holder and audits the manager", async () => {
    const text = await say("sam", "asign Busines Analyst to Ben for 10 days because covering Q4 close");
    assert.match(text, /Assigned: Business Analyst to Ben Okafor/);
    assert.match(text, /Until \{\{DATE\(2026-12-03T10:00:00Z, SHORT\)\}\}/);
    const [assignment] = await h.stores.assignments.listForUser("ben");
    assert.equal(assignment?.endAt, "2026-12-03T10:00:00.000Z");
    assert.match(chatOf("ben"), /You now have Business Analyst/);
    // The manager who assigned it is told about Ben, not "You now have".
    assert.match(chatOf("sam"), /Ben Okafor now has Business Analyst/);
    assert.doesNotMatch(chatOf("sam"), /You now have/);
    const request = (await h.stores.requests.get(assignment!.requestId))!.value;
    assert.equal(request.type, "adminAdd");
    assert.equal(request.requesterId, "sam");
    assert.equal(request.justification, "covering Q4 close");
    const audit = await h.stores.audit.query({ targetUserId: "ben" });
    assert.ok(audit.some((e) => e.action === "request.approved" && e.actor === "sam"));
  });

  it("assigns a package nobody may request until a date, and checks separation of duties", async () => {
    assert.match(
      await say("maria", "assign Finance Vault to Ana until 2026-12-31"),
      /Assigned: Finance Vault/,
    );
    assert.equal((await h.stores.assignments.listForUser("ana"))[0]?.endAt, "2026-12-31T23:59:59.000Z");
    await seedHolder(h, "lola", "userAdd", { packageId: "pkg-sales", policyId: "pol-sales" });
    const conflict = await say("maria", "assign Finance Vault to Lola for 5 days");
    assert.match(conflict, /Conflicts with access you have/);
    assert.equal((await h.stores.assignments.listForUser("lola")).length, 1, "Lola got nothing more");
    assert.match(
      await say("maria", "assign Business Analyst to Lola until 2027-06-30"),
      /The policy allows this access until 2026-12-23 at the latest/,
    );
  });

  it("refuses a catalog reader, naming the role, and changes nothing", async () => {
    const text = await say("sara", "assign Business Analyst to Ben for 10 days");
    assert.match(text, /You need an administrative role/);
    assert.match(text, /access package assignment manager of the Finance catalog/);
    await seedHolder(h, "lola", "userAdd");
    const removal = await say("sara", "remove Lola from Business Analyst because she left");
    assert.match(removal, /access package assignment manager/);
    assert.equal((await h.stores.assignments.listForUser("ben")).length, 0);
    assert.equal((await h.stores.assignments.listForUser("lola"))[0]!.state, "delivered");
    assert.equal(h.provisioner.applied.length, 0);
    const refusals = (await h.stores.audit.query({ subject: "package:pkg-ba" })).filter(
      (e) => e.action === "admin.refused" && e.actor === "sara",
    );
    assert.equal(refusals.length, 2);
  });

  it("removes with a reason, tells the holder, and asks for a reason when none is given", async () => {
    await seedHolder(h, "lola", "userAdd");
    assert.match(await say("sam", "remove Lola from Business Analyst"), /Say why/);
    assert.equal((await h.stores.assignments.listForUser("lola"))[0]!.state, "delivered");
    const text = await say("sam", "remvoe Lola Martin from business analyst because she moved to Sales");
    assert.match(text, /Removed: Business Analyst from Lola Martin/);
    assert.match(text, /Reason: she moved to Sales/);
    const [assignment] = await h.stores.assignments.listForUser("lola");
    assert.equal(assignment!.state, "removed");
    assert.match(chatOf("lola"), /Your access was removed: Business Analyst/);
    const audit = await h.stores.audit.query({ targetUserId: "lola" });
    assert.ok(audit.some((e) => e.action === "assignment.removed" && e.actor === "sam"));
    assert.match(
      await say("sam", "remove Lola from Business Analyst because again"),
      /don't have Business Analyst/,
    );
  });

  it("has CLI twins that check the same role", async () => {
    const assign = parseAccessArgs([
      "assign",
      "pkg-ba",
      "--to",
      "ben",
      "--days",
      "7",
      "--reason",
      "cover",
      "--as",
      "sam",
    ]);
    assert.deepEqual(assign, {
      verb: "assign",
      package: "pkg-ba",
      to: "ben",
      days: 7,
      reason: "cover",
      as: "sam",
    });
    const run = await runAccessCommand(h.bot.deps, assign!);
    assert.equal(run.code, 0, run.lines.join("\n"));
    assert.match(run.lines[0]!, /Assigned Business Analyst to ben until 2026-11-30T10:00:00.000Z/);
    const denied = await runAccessCommand(h.bot.deps, {
      verb: "remove",
      package: "pkg-ba",
      from: "ben",
      reason: "done",
      as: "sara",
    });
    assert.equal(denied.code, 1);
    assert.match(denied.lines[0]!, /ADMIN.ROLE_NEEDED/);
    const removed = await runAccessCommand(h.bot.deps, {
      verb: "remove",
      package: "Business Analyst",
      from: "ben",
      reason: "done",
      as: "sam",
    });
    assert.equal(removed.code, 0, removed.lines.join("\n"));
    assert.match(removed.lines[0]!, /: removed/);
  });
});
