import assert from "node:assert/strict";
import { runAccessCommand } from "../../src/cli/access";
import { cardOf, textOf } from "./support/cards";
import type { HttpHarness } from "./support/harness";
import { lastMessage, seedHolder, startWithRoles } from "./support/admin";

describe("bot over HTTP: the separation of duties report", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startWithRoles();
    // Lola holds Salesforce Sales and Finance Vault, which may not be combined; Ben only one of them.
    await seedHolder(h, "lola", "userAdd", { packageId: "pkg-sales", policyId: "pol-sales" });
    await seedHolder(h, "lola", "adminAdd", { packageId: "pkg-vault", policyId: "pol-vault" });
    await seedHolder(h, "ben", "userAdd", { packageId: "pkg-sales", policyId: "pol-sales" });
  });
  afterEach(() => h.close());

  const say = async (userId: string, text: string) => {
    await h.channel.say(userId, text);
    return textOf(cardOf(lastMessage(h, userId)));
  };

  it("lists who holds incompatible packages today, per catalog, for a catalog reader", async () => {
    const text = await say("sara", "separation of duties report");
    assert.match(text, /Separation of duties report/);
    assert.match(text, /1 conflict in Finance/);
    assert.match(text, /Lola Martin holds Salesforce Sales and Finance Vault/);
    assert.doesNotMatch(text, /Ben Okafor/);
    const audit = await h.stores.audit.query({ subject: "report:sod" });
    assert.ok(audit.some((e) => e.action === "admin.viewed" && e.actor === "sara"));
  });

  it("refuses someone without a catalog role, naming the role, and shows nothing", async () => {
    const text = await say("ben", "sod report");
    assert.match(text, /You need an administrative role/);
    assert.match(text, /catalog reader of a catalog/);
    assert.doesNotMatch(text, /Lola/);
    const audit = await h.stores.audit.query({ subject: "report:sod" });
    assert.deepEqual(
      audit.map((e) => `${e.action} ${e.actor}`),
      ["admin.refused ben"],
    );
  });

  it("has a CLI twin", async () => {
    const run = await runAccessCommand(h.bot.deps, { verb: "sod-report", as: "maria" });
    assert.equal(run.code, 0);
    assert.match(
      run.lines.join("\n"),
      /1 separation of duties conflict\(s\) in Finance\n {2}cat-finance: Lola Martin \(lola\) holds Salesforce Sales and Finance Vault/,
    );
    const refusedRun = await runAccessCommand(h.bot.deps, { verb: "sod-report", as: "ana" });
    assert.equal(refusedRun.code, 1);
  });
});
