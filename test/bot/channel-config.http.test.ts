import assert from "node:assert/strict";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { cardOf, textOf } from "./support/cards";
import { decide, requestBusinessAnalyst } from "./support/flow";

const ACCESS = "19:finance-access@thread.tacv2";
const NEWS = "19:finance-news@thread.tacv2";

describe("bot over HTTP: a catalog owner chooses the notice channel in chat", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startOverHttp();
    await h.channel.installTeam("team-finance", [
      { id: ACCESS, name: "Access" },
      { id: NEWS, name: "News" },
    ]);
    await h.channel.install("ana");
  });
  afterEach(() => h.close());

  const lastPost = (channelId: string) => textOf(cardOf(h.channel.channelActivities(channelId).at(-1)));

  it("sends the catalog's delivery notices to the channel its owner named, and audits the change", async () => {
    await h.channel.sayInChannel("maria", NEWS, "post Finance notices here");
    assert.match(lastPost(NEWS), /Notices go here now/);
    const catalog = (await h.stores.governance.load()).catalogs.find((c) => c.name === "Finance");
    assert.equal(catalog?.channel?.channelId, NEWS);
    const audit = await h.stores.audit.query({ subject: `catalog:${catalog!.id}` });
    assert.equal(audit[0]?.action, "config.changed");
    assert.equal(audit[0]?.actor, "maria");

    await requestBusinessAnalyst(h);
    await decide(h, "maria", "approval.approve", "Needed");
    await decide(h, "sam", "approval.approve");
    await h.channel.waitFor(() => h.channel.channelActivities(NEWS).length >= 2, 5000);
    assert.match(lastPost(NEWS), /Ana Costa got Business Analyst/);
  });

  it("refuses someone who does not own the catalog and changes nothing", async () => {
    const before = await h.stores.governance.load();
    await h.channel.sayInChannel("ana", NEWS, "post Finance notices here");
    assert.match(lastPost(NEWS), /Only an owner of the Finance catalog/);
    assert.deepEqual(await h.stores.governance.load(), before);
    const refused = await h.stores.audit.query({ subject: "catalog:cat-finance" });
    assert.equal(refused[0]?.action, "request.refused");
  });

  it("answers other channel messages with a pointer to the personal chat", async () => {
    await h.channel.sayInChannel("ana", ACCESS, "I need Salesforce");
    assert.match(lastPost(ACCESS), /Ask for access in a personal chat with me/);
  });
});
