import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import * as restify from "restify";
import { CardFactory, MemoryStorage, MessageFactory } from "botbuilder";
import { Application, TeamsAdapter } from "@microsoft/teams-ai";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import { pathSegments } from "../../src/local-channel/conversation-ids";
import { sampleCard, startFakeBot, type FakeBot } from "./fake-bot";

type ExecuteResult = Awaited<ReturnType<Parameters<Application["adaptiveCards"]["actionExecute"]>[1]>>;
const asCard = (card: Record<string, unknown>) => card as unknown as Exclude<ExecuteResult, string>;

const personas = [{ id: "u-ada", displayName: "Ada Lovelace", role: "requester" }];

describe("local channel with a teams-ai Application", () => {
  let channel: LocalChannel;
  let bot: FakeBot;

  before(async () => {
    const adapter = new TeamsAdapter({ MicrosoftAppId: "" } as never);
    const app = new Application({ adapter, storage: new MemoryStorage() });
    app.message("card", async (context) => {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(sampleCard("pending"))));
    });
    // A card with `refresh`: teams-ai also updates the original message for everyone.
    app.adaptiveCards.actionExecute("approve", async (_context, _state, data) =>
      asCard(
        sampleCard(`approved: ${String((data as { comment?: string }).comment)}`, {
          refresh: { action: { type: "Action.Execute", verb: "view", data: {} }, userIds: ["u-ada"] },
        }),
      ),
    );
    app.adaptiveCards.actionExecute("view", async () => asCard(sampleCard("your view")));
    channel = createLocalChannel({ botEndpoint: "", personas });
    bot = await startFakeBot((context) => app.run(context).then(() => undefined), adapter);
    channel.botEndpoint = bot.endpoint;
    await channel.listen();
  });
  after(async () => {
    await bot.close();
    await channel.close();
  });

  it("replaces the card for everyone when the Action.Execute answer carries refresh", async () => {
    await channel.say("u-ada", "card");
    const [card] = channel.activities(channel.conversationOf("u-ada"));
    const result = await channel.invoke("u-ada", card!.id, "approve", { comment: "fine" });
    assert.equal(result.status, 200);
    assert.equal(card!.version, 2);
    const content = (card!.activity.attachments as { content: { body: { text: string }[] } }[])[0]!.content;
    assert.equal(content.body[0]!.text, "approved: fine");
  });

  it("sends an automatic refresh invoke with the trigger Teams uses", async () => {
    await channel.say("u-ada", "card");
    const card = channel.activities(channel.conversationOf("u-ada")).at(-1)!;
    const result = await channel.invoke("u-ada", card.id, "view", {}, "automatic");
    assert.equal((result.body as { value: { body: { text: string }[] } }).value.body[0]!.text, "your view");
    assert.equal((bot.received.at(-1)!.value as { trigger: string }).trigger, "automatic");
    assert.equal(card.views["u-ada"]!.card.body instanceof Array, true);
  });
});

describe("local channel mounted on a host server", () => {
  let host: restify.Server;
  let channel: LocalChannel;
  let base: string;

  before(async () => {
    host = restify.createServer({ handleUncaughtExceptions: false });
    // A host that parses bodies itself must not break the connector routes.
    host.use(restify.plugins.bodyParser());
    channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:9/unused", personas });
    channel.mount(host);
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await channel.close();
    host.server.closeAllConnections();
    await new Promise<void>((resolve) => host.close(() => resolve()));
  });

  it("derives its serviceUrl from the host server and the base path", () => {
    assert.equal(channel.serviceUrl, `${base}/local-channel`);
  });

  it("takes thread ids with ; : @ whether or not they arrive encoded", async () => {
    await channel.installTeam("19:t@thread.tacv2", []).catch(() => undefined);
    const created = await fetch(`${base}/local-channel/v3/conversations`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        isGroup: true,
        channelData: { channel: { id: "19:t@thread.tacv2" } },
        activity: { type: "message", text: "root" },
      }),
    }).then((r) => r.json() as Promise<{ id: string; activityId: string }>);
    assert.equal(created.id, `19:t@thread.tacv2;messageid=${created.activityId}`);
    const raw = await fetch(`${base}/local-channel/v3/conversations/${created.id}/activities`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "message", text: "raw" }),
    });
    const encoded = await fetch(
      `${base}/local-channel/v3/conversations/${encodeURIComponent(created.id)}/activities`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ type: "message", text: "encoded" }),
      },
    );
    assert.deepEqual([raw.status, encoded.status], [201, 201]);
    const texts = channel
      .channelActivities("19:t@thread.tacv2")
      .map((a) => [a.activity.text, a.threadRootId]);
    assert.deepEqual(texts, [
      ["root", undefined],
      ["raw", created.activityId],
      ["encoded", created.activityId],
    ]);
  });

  it("lists team channels with General unnamed, as Teams does", async () => {
    const body = await fetch(
      `${base}/local-channel/v3/teams/${encodeURIComponent("19:t@thread.tacv2")}/conversations`,
    ).then((r) => r.json());
    assert.deepEqual(body, { conversations: [{ id: "19:t@thread.tacv2" }] });
  });

  it("splits paths into decoded segments without letting %2F split a segment", () => {
    assert.deepEqual(pathSegments("/lc/v3/conversations/a%3Ab%2Fc/activities?x=1", "/lc/v3"), [
      "conversations",
      "a:b/c",
      "activities",
    ]);
    assert.equal(pathSegments("/other/v3", "/lc/v3"), undefined);
  });
});
