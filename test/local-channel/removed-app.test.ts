import assert from "node:assert/strict";
import { CardFactory, MessageFactory, type ConversationReference, type TurnContext } from "botbuilder";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import { sampleCard, startFakeBot, type FakeBot } from "./fake-bot";

const personas = [
  { id: "u-ada", displayName: "Ada Lovelace", role: "requester" },
  { id: "u-bob", displayName: "Bob Manager", role: "approver" },
];
const TENANT = "tenant-1";
const CHANNEL = "19:grants@thread.tacv2";
const REFUSED = { status: 403, code: "BotNotInConversationRoster" };

interface Refusal {
  status?: number;
  code?: string;
}
const refusalOf = (e: { statusCode?: number; code?: string }): Refusal => ({
  status: e.statusCode,
  code: e.code,
});

describe("local channel connector: a person who removed the app", () => {
  let channel: LocalChannel;
  let bot: FakeBot;
  let base: string;

  before(async () => {
    channel = createLocalChannel({ botEndpoint: "", personas, tenantId: TENANT });
    bot = await startFakeBot(async (context) => {
      if (context.activity.type === "message") await context.sendActivity(`Hi ${context.activity.from.name}`);
    });
    channel.botEndpoint = bot.endpoint;
    base = await channel.listen();
  });
  after(async () => {
    await bot.close();
    await channel.close();
  });
  beforeEach(() => {
    channel.reset();
    bot.received.length = 0;
  });

  const chatOf = (userId: string) => channel.conversationOf(userId);
  const reference = (userId: string): Partial<ConversationReference> => ({
    serviceUrl: channel.serviceUrl,
    channelId: "msteams",
    conversation: {
      id: chatOf(userId),
      conversationType: "personal",
      tenantId: TENANT,
      isGroup: false,
      name: "",
    },
    bot: { id: "28:access-desk", name: "Access Desk" },
    user: { id: `29:${userId}`, name: "" },
  });

  /**
   * Acts as the bot in the person's 1:1 chat outside any turn, as a notification does; resolves with
   * the connector's refusal, or undefined when the write went through. The refusal is caught inside
   * the turn so the fake bot's turn-error handler stays quiet.
   */
  async function asBotInChat(userId: string, act: (ctx: TurnContext) => Promise<unknown>) {
    let refusal: Refusal | undefined;
    await bot.adapter.continueConversationAsync(
      "",
      reference(userId) as ConversationReference,
      async (ctx) => {
        refusal = await act(ctx).then(() => undefined, refusalOf);
      },
    );
    return refusal;
  }

  /** Opens a 1:1 chat with the member, carrying a first message, as a proactive approval card does. */
  const openChatWith = (userId: string): Promise<Refusal | undefined> => {
    const params = {
      isGroup: false,
      members: [{ id: `29:${userId}`, name: "" }],
      tenantId: TENANT,
      activity: MessageFactory.text("You have a new request to approve"),
    };
    return bot.adapter
      .createConversationAsync("", "msteams", channel.serviceUrl, "", params as never, async () => {})
      .then(() => undefined, refusalOf);
  };

  const notify = (userId: string) => asBotInChat(userId, (ctx) => ctx.sendActivity("Your access ends soon"));
  const cardTitle = (a: Record<string, unknown>) =>
    (a.attachments as { content: { body: { text: string }[] } }[])[0]!.content.body[0]!.text;

  it("refuses the bot's message, card update and new 1:1 chat with 403 BotNotInConversationRoster, recording nothing", async () => {
    await channel.install("u-ada");
    await asBotInChat("u-ada", (ctx) =>
      ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(sampleCard("Pending")))),
    );
    const [card] = channel.activities(chatOf("u-ada"));
    channel.removeApp("u-ada");

    assert.deepEqual(await notify("u-ada"), REFUSED, "proactive message");
    const update = {
      ...MessageFactory.attachment(CardFactory.adaptiveCard(sampleCard("Approved"))),
      id: card!.id,
    };
    assert.deepEqual(await asBotInChat("u-ada", (ctx) => ctx.updateActivity(update)), REFUSED, "card update");
    assert.deepEqual(await openChatWith("u-ada"), REFUSED, "new 1:1 chat");

    assert.deepEqual(
      channel.transcript(chatOf("u-ada")).map((a) => a.id),
      [card!.id],
      "only the card sent before the removal",
    );
    assert.equal(card!.version, 1);
    assert.equal(cardTitle(card!.activity), "Pending");
  });

  it("still answers reads of the chat's members", async () => {
    await channel.install("u-ada");
    channel.removeApp("u-ada");
    const reply = await fetch(
      `${channel.serviceUrl}/v3/conversations/${encodeURIComponent(chatOf("u-ada"))}/members`,
    );
    assert.equal(reply.status, 200);
    const members = (await reply.json()) as { aadObjectId: string }[];
    assert.deepEqual(
      members.map((m) => m.aadObjectId),
      ["u-ada"],
    );
  });

  it("leaves other people's chats and team channel posts alone", async () => {
    await channel.install("u-ada");
    await channel.install("u-bob");
    await channel.installTeam("19:team@thread.tacv2", [{ id: CHANNEL, name: "Access grants" }]);
    channel.removeApp("u-ada");

    assert.equal(await notify("u-bob"), undefined);
    assert.equal(await openChatWith("u-bob"), undefined);
    const post = {
      isGroup: true,
      channelData: { channel: { id: CHANNEL } },
      activity: MessageFactory.text("Granted"),
    };
    await bot.adapter.createConversationAsync(
      "",
      "msteams",
      channel.serviceUrl,
      "",
      post as never,
      async () => {},
    );
    assert.equal(channel.activities(chatOf("u-bob")).length, 2);
    assert.equal(channel.channelActivities(CHANNEL)[0]?.activity.text, "Granted");
  });

  it("takes the bot's messages again once the person adds the app back", async () => {
    await channel.install("u-ada");
    channel.removeApp("u-ada");
    await channel.install("u-ada");

    assert.equal(await notify("u-ada"), undefined);
    assert.equal(await openChatWith("u-ada"), undefined);
    assert.equal(channel.activities(chatOf("u-ada")).length, 2);
  });

  it("takes the bot's messages again once the person writes to it, which adds the app first", async () => {
    await channel.install("u-ada");
    channel.removeApp("u-ada");
    await channel.say("u-ada", "hello");

    assert.equal(channel.activities(chatOf("u-ada"))[0]?.activity.text, "Hi Ada Lovelace", "the reply");
    assert.equal(await notify("u-ada"), undefined);
  });

  describe("through the chat page's API", () => {
    const api = (route: string, body?: unknown) =>
      fetch(`${base}${channel.basePath}/api/${route}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const removedApp = async () => {
      const state = (await (await api("state")).json()) as {
        personas: { id: string; removedApp: boolean }[];
      };
      return Object.fromEntries(state.personas.map((p) => [p.id, p.removedApp]));
    };

    it("refuses to remove the app for someone who is not on the page, changing nothing", async () => {
      for (const body of [{ userId: "u-eve" }, {}]) {
        const reply = await api("remove-app", body);
        assert.equal(reply.status, 400, JSON.stringify(body));
        assert.match(((await reply.json()) as { error: string }).error, /people on this page/);
      }
      assert.equal(channel.store.hasRemoved("u-eve"), false);
      assert.deepEqual(await removedApp(), { "u-ada": false, "u-bob": false });
    });

    it("shows the removal in the page state until the person adds the app again", async () => {
      await channel.install("u-ada");
      const reply = await api("remove-app", { userId: "u-ada" });
      assert.equal(reply.status, 200);
      assert.deepEqual(await reply.json(), { userId: "u-ada", removedApp: true });
      assert.deepEqual(await removedApp(), { "u-ada": true, "u-bob": false });
      assert.deepEqual(await notify("u-ada"), REFUSED, "the bot is refused as the state says");

      assert.equal((await api("install", { userId: "u-ada" })).status, 200);
      assert.deepEqual(await removedApp(), { "u-ada": false, "u-bob": false });
    });
  });
});
