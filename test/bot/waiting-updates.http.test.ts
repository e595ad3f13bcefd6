import assert from "node:assert/strict";
import { type HttpHarness, startOverHttp } from "./support/harness";

const card = (text: string) => ({
  card: { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text }] },
  summary: text,
});

describe("bot over HTTP: card updates waiting for their turn", function () {
  this.timeout(20_000);
  let h: HttpHarness;

  beforeEach(async () => {
    // One call per 600 ms into a conversation: the updates below wait behind the card's post.
    h = await startOverHttp({ pacing: { conversationLimits: [{ count: 1, windowMs: 600 }] } });
    await h.channel.install("ana");
  });
  afterEach(() => h.close());

  it("sends only the newest of several updates still waiting, once, and every caller hears it went out", async () => {
    const { notifier } = h.bot;
    await notifier.sendToUser("ana", card("Waiting for approval"), "status:req-1");
    const updates = await Promise.all([
      notifier.updateCards("status:req-1", card("Stage 1 approved")),
      notifier.updateCards("status:req-1", card("Approved")),
      notifier.updateCards("status:req-1", card("You now have access")),
    ]);
    assert.deepEqual(updates, [1, 1, 1], "each caller: its copy is up to date");
    const post = h.channel
      .activities(h.channel.conversationOf("ana"))
      .filter((a) => a.from === "bot")
      .at(-1);
    assert.equal(post!.history.length, 1, "one update call for the three");
    assert.match(JSON.stringify(post!.activity.attachments), /You now have access/);

    // An update once that call went out queues anew: it is not lost.
    await notifier.updateCards("status:req-1", card("Access ended"));
    assert.equal(h.channel.store.get(post!.id)!.history.length, 2);
    assert.match(JSON.stringify(h.channel.store.get(post!.id)!.activity.attachments), /Access ended/);
  });
});
