import assert from "node:assert/strict";
import { startBotWorld } from "../support/over-http";
import { memoryStores } from "../support/stores";
import { governanceFixture } from "./fixtures/organization";
import { actionData, cardOf, textOf } from "./support/cards";
import type { HttpHarness } from "./support/harness";
import { lastMessage } from "./support/admin";

describe("bot over HTTP: hidden packages, reached by their link or id", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    const config = governanceFixture();
    config.packages[1]!.hidden = true; // Salesforce Sales
    config.catalogs[0]!.accessPackageAssignmentManagers = ["sam"];
    const world = await startBotWorld({ stores: memoryStores(config) });
    h = { ...world, botUrl: world.url };
    for (const user of ["ana", "maria", "sam", "ben"]) await h.channel.install(user);
  });
  afterEach(() => h.close());

  const say = async (userId: string, text: string) => {
    await h.channel.say(userId, text);
    return cardOf(lastMessage(h, userId));
  };

  it("never shows a hidden package in search, but its id opens its card", async () => {
    assert.doesNotMatch(textOf(await say("ana", "I need access to Salesforce Sales")), /Salesforce Sales/);
    assert.doesNotMatch(textOf(await say("ana", "what can I request?")), /Salesforce Sales/);
    const card = await say("ana", "request pkg-sales");
    assert.match(textOf(card), /Salesforce Sales[\s\S]*What it grants/);
    assert.ok(actionData(card, "request.form"), "Ana may request it from there");
  });

  it("gives a catalog owner the Teams deep link that types the request", async () => {
    h.bot.deps.botAppId = "11111111-2222-3333-4444-555555555555";
    const text = textOf(await say("maria", "link for Salesforce Sales"));
    assert.match(text, /Link for Salesforce Sales/);
    assert.ok(
      text.includes(
        "https://teams.microsoft.com/l/chat/0/0?users=28:11111111-2222-3333-4444-555555555555&message=request%20pkg-sales",
      ),
      text,
    );
    assert.match(text, /hidden: searching never shows it/);
    const audit = await h.stores.audit.query({ subject: "package:pkg-sales" });
    assert.ok(
      audit.some((e) => e.action === "admin.viewed" && e.actor === "maria" && e.details?.what === "link"),
    );
  });

  it("refuses an assignment manager and anyone else, naming the role", async () => {
    for (const user of ["sam", "ben"]) {
      const text = textOf(await say(user, "link for Salesforce Sales"));
      assert.match(text, /You need an administrative role/);
      assert.match(text, /access package manager of the Finance catalog/);
      assert.doesNotMatch(text, /teams\.microsoft\.com|request pkg-sales/);
    }
  });
});
