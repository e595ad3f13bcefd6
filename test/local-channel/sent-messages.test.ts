import assert from "node:assert/strict";
import http from "node:http";
import { LocalSentMessages } from "../../src/adapters/teams/local-sent-messages";
import { stampDeliveryKey } from "../../src/adapters/shared/delivery-key";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";

const CARD = "application/vnd.microsoft.card.adaptive";
const card = (key?: string) => {
  const base = { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "Hi" }] };
  return key ? stampDeliveryKey(base, key) : base;
};

describe("the local channel answers what the bot posted, for a batch that looks before posting again", () => {
  let channel: LocalChannel;
  let base: string;

  before(async () => {
    channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages" });
    base = await channel.listen();
    channel.store.addTeam({ id: "team-1", name: "IT", channels: [{ id: "channel-1", name: "Requests" }] });
    const chat = channel.store.openPersonal("maria");
    channel.store.record(chat, "bot", {
      type: "message",
      attachments: [{ contentType: CARD, content: card("b1/0|user|maria") }],
    });
    channel.store.record(chat, "user", { type: "message", text: "b2/0|user|maria" }, { userId: "maria" });
    channel.store.record("channel-1", "bot", {
      type: "message",
      attachments: [{ contentType: CARD, content: card("b1/2|channel|channel-1") }],
    });
  });
  after(() => channel.close());

  it("finds a card by its delivery key in a person's chat and in a channel, with its conversation", async () => {
    const finder = new LocalSentMessages(channel.serviceUrl);
    const inChat = await finder.find({ userId: "maria" }, "b1/0|user|maria", "2026-01-01T00:00:00Z");
    assert.equal(inChat?.conversationId, "a:personal-maria");
    assert.equal(channel.store.get(inChat!.activityId)?.from, "bot");
    const post = await finder.find(
      { channel: { teamId: "team-1", channelId: "channel-1" } },
      "b1/2|channel|channel-1",
      "2026-01-01T00:00:00Z",
    );
    assert.equal(post?.conversationId, `channel-1;messageid=${post?.activityId}`);
  });

  it("finds nothing for another key, or for a key a person typed (only the bot's cards count)", async () => {
    const finder = new LocalSentMessages(channel.serviceUrl);
    assert.equal(
      await finder.find({ userId: "maria" }, "b1/1|user|maria", "2026-01-01T00:00:00Z"),
      undefined,
    );
    assert.equal(
      await finder.find({ userId: "maria" }, "b2/0|user|maria", "2026-01-01T00:00:00Z"),
      undefined,
    );
  });

  it("throws when the channel cannot be read, so the caller posts", async () => {
    await assert.rejects(
      new LocalSentMessages(`${base}/nowhere`).find({ userId: "maria" }, "k", "2026-01-01T00:00:00Z"),
    );
  });

  it("refuses a browser on another origin, like the connector routes", async () => {
    const url = `${channel.serviceUrl}/messages/users/maria`;
    const refused = await fetch(url, {
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    assert.equal(refused.status, 403);
    const wrongHost = await new Promise<number>((resolve, reject) =>
      http
        .get(url, { headers: { host: "attacker.example" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject),
    );
    assert.equal(wrongHost, 403);
  });
});
