import assert from "node:assert/strict";
import { startBotWorld } from "../support/over-http";
import { memoryStores } from "../support/stores";
import { governanceFixture } from "./fixtures/organization";
import { actionData, cardOf, latestCard, latestWithAction, textOf } from "./support/cards";
import type { HttpHarness } from "./support/harness";

describe("bot over HTTP: named approvers show with their names", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    const config = governanceFixture();
    // Salesforce Sales is approved by Sara by name (like ERP Project's Christie Cline).
    config.policies[1]!.approval.stages[0]!.primaryApprovers = [{ kind: "users", userIds: ["sara"] }];
    const world = await startBotWorld({ stores: memoryStores(config) });
    h = { ...world, botUrl: world.url };
    await h.channel.install("ana");
  });
  afterEach(() => h.close());

  it("names them on the package card and on the request form, never as someone", async () => {
    await h.channel.say("ana", "I need access to Salesforce Sales");
    const pkg = latestCard(h.channel, "ana", "What it grants")!;
    const pkgText = textOf(cardOf(pkg));
    assert.match(pkgText, /Stage 1: Sara Lind/);
    assert.doesNotMatch(pkgText, /someone/);
    const formData = actionData(cardOf(pkg), "request.form")!;
    assert.equal((await h.channel.invoke("ana", pkg.id, "request.form", formData)).status, 200);
    const formText = textOf(cardOf(latestWithAction(h.channel, "ana", "request.submit")));
    assert.match(formText, /Stage 1: Sara Lind/);
    assert.doesNotMatch(formText, /someone/);
  });
});
