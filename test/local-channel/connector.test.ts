import assert from "node:assert/strict";
import { CardFactory, MessageFactory, TeamsInfo, TurnContext, type ConversationReference } from "botbuilder";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import { sampleCard, startFakeBot, type FakeBot } from "./fake-bot";

const personas = [
  { id: "u-ada", displayName: "Ada Lovelace", role: "requester" },
  { id: "u-bob", displayName: "Bob Manager", role: "approver" },
];

/** The scripted bot: each message text is a command the bot carries out with the real botbuilder client. */
async function script(context: TurnContext, bot: FakeBot, channel: LocalChannel): Promise<void> {
  const a = context.activity;
  if (a.type === "invoke") {
    const value = a.value as { action: { verb: string; data: Record<string, unknown> } };
    const card = sampleCard(`Done: ${value.action.verb} ${String(value.action.data.comment ?? "")}`);
    await context.sendActivity({
      type: "invokeResponse",
      value: {
        status: 200,
        body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card },
      },
    });
    return;
  }
  if (a.type !== "message") return;
  const [command, arg] = (a.text ?? "").split(" ");
  if (command === "hello") await context.sendActivity(`Hi ${a.from.name}`);
  if (command === "card") {
    const sent = await context.sendActivity(
      MessageFactory.attachment(CardFactory.adaptiveCard(sampleCard("v1"))),
    );
    await context.updateActivity({
      ...MessageFactory.attachment(CardFactory.adaptiveCard(sampleCard("v2"))),
      id: sent!.id,
    });
  }
  if (command === "delete") {
    const sent = await context.sendActivity("short-lived");
    await context.deleteActivity(sent!.id);
  }
  if (command === "notify") {
    const params = {
      isGroup: false,
      members: [{ id: arg!, name: "" }],
      tenantId: a.conversation.tenantId,
      channelData: { tenant: { id: a.conversation.tenantId } },
    };
    await bot.adapter.createConversationAsync("", "msteams", channel.serviceUrl, "", params as never, (ctx) =>
      ctx.sendActivity("You have a new request to approve").then(() => undefined),
    );
  }
  if (command === "post") {
    const params = {
      isGroup: true,
      channelData: { channel: { id: arg } },
      activity: MessageFactory.text("Granted"),
    };
    await bot.adapter.createConversationAsync(
      "",
      "msteams",
      channel.serviceUrl,
      "",
      params as never,
      async (ctx) => {
        await ctx.sendActivity("Thread reply");
      },
    );
  }
  if (command === "whoami") {
    const member = await TeamsInfo.getMember(context, a.from.id);
    const paged = await TeamsInfo.getPagedMembers(context);
    await context.sendActivity(`${member.aadObjectId}|${member.name}|${paged.members.length}`);
  }
  if (command === "lost") {
    const reference = {
      ...TurnContext.getConversationReference(a),
      conversation: { id: "a:personal-nobody" },
    };
    await bot.adapter.continueConversationAsync("", reference as ConversationReference, async (ctx) => {
      await ctx
        .sendActivity("into the void")
        .catch((e: { statusCode?: number }) => context.sendActivity(`failed with ${e.statusCode}`));
    });
  }
}

describe("local channel connector with botbuilder's CloudAdapter", () => {
  let channel: LocalChannel;
  let bot: FakeBot;

  before(async () => {
    channel = createLocalChannel({ botEndpoint: "", personas, tenantId: "tenant-1" });
    bot = await startFakeBot((context) => script(context, bot, channel));
    channel.botEndpoint = bot.endpoint;
    await channel.listen();
  });
  after(async () => {
    await bot.close();
    await channel.close();
  });
  beforeEach(() => {
    channel.reset();
    bot.received.length = 0;
  });

  it("installs the app for a user with a Teams-shaped conversationUpdate", async () => {
    await channel.install("u-ada");
    const update = bot.received[0]!;
    assert.equal(update.type, "conversationUpdate");
    assert.equal(update.channelId, "msteams");
    assert.equal(update.serviceUrl, channel.serviceUrl);
    assert.deepEqual(update.conversation, {
      id: "a:personal-u-ada",
      conversationType: "personal",
      tenantId: "tenant-1",
    });
    assert.deepEqual(update.membersAdded, [{ id: "28:access-desk", name: "Access Desk" }]);
    assert.deepEqual(update.from, { id: "29:u-ada", aadObjectId: "u-ada", name: "Ada Lovelace" });
  });

  it("delivers a bot reply to the user's message through the reply route", async () => {
    await channel.say("u-ada", "hello");
    const said = bot.received.find((x) => x.type === "message")!;
    const [reply] = channel.activities(channel.conversationOf("u-ada"));
    assert.equal(reply!.activity.text, "Hi Ada Lovelace");
    assert.equal(reply!.replyToId, said.id);
    assert.deepEqual(
      channel.transcript(channel.conversationOf("u-ada")).map((x) => x.from),
      ["user", "bot"],
    );
  });

  it("updates a sent card in place and keeps its earlier versions", async () => {
    await channel.say("u-ada", "card");
    const [card] = channel.activities(channel.conversationOf("u-ada"));
    assert.equal(card!.version, 2);
    const titleOf = (x: Record<string, unknown>) =>
      (x.attachments as { content: { body: { text: string }[] } }[])[0]!.content.body[0]!.text;
    assert.equal(titleOf(card!.activity), "v2");
    assert.deepEqual(card!.history.map(titleOf), ["v1"]);
  });

  it("marks a message deleted when the bot deletes it", async () => {
    await channel.say("u-ada", "delete");
    const [gone] = channel.activities(channel.conversationOf("u-ada"));
    assert.equal(gone!.deleted, true);
  });

  it("opens a 1:1 chat for a member by id and delivers a proactive message", async () => {
    await channel.say("u-ada", "notify 29:u-bob");
    const [note] = channel.activities(channel.conversationOf("u-bob"));
    assert.equal(note!.activity.text, "You have a new request to approve");
  });

  it("posts to a team channel and puts replies to the post in its thread", async () => {
    await channel.installTeam("19:team@thread.tacv2", [
      { id: "19:grants@thread.tacv2", name: "Access grants" },
    ]);
    const install = bot.received[0]! as { channelData: { eventType: string; team: { id: string } } };
    assert.equal(install.channelData.eventType, "teamMemberAdded");
    assert.equal(install.channelData.team.id, "19:team@thread.tacv2");
    await channel.say("u-ada", "post 19:grants@thread.tacv2");
    const [root, reply] = channel.channelActivities("19:grants@thread.tacv2");
    assert.equal(root!.activity.text, "Granted");
    assert.equal(reply!.activity.text, "Thread reply");
    assert.equal(reply!.threadRootId, root!.id);
  });

  it("returns the invoke response of an Action.Execute and keeps it as the clicker's view", async () => {
    await channel.say("u-ada", "card");
    const [card] = channel.activities(channel.conversationOf("u-ada"));
    const result = await channel.invoke("u-ada", card!.id, "approve", { requestId: "req_1", comment: "ok" });
    assert.equal(result.status, 200);
    const body = result.body as { type: string; value: { body: { text: string }[] } };
    assert.equal(body.type, "application/vnd.microsoft.card.adaptive");
    assert.equal(body.value.body[0]!.text, "Done: approve ok");
    const invoke = bot.received.at(-1)! as { name: string; replyToId: string; value: unknown };
    assert.equal(invoke.name, "adaptiveCard/action");
    assert.equal(invoke.replyToId, card!.id);
    assert.deepEqual(invoke.value, {
      action: { type: "Action.Execute", verb: "approve", data: { requestId: "req_1", comment: "ok" } },
      trigger: "manual",
    });
    assert.equal(card!.views["u-ada"]!.version, card!.version);
  });

  it("answers member look-ups with Teams-shaped members", async () => {
    await channel.say("u-ada", "whoami");
    const [answer] = channel.activities(channel.conversationOf("u-ada"));
    assert.equal(answer!.activity.text, "u-ada|Ada Lovelace|1");
  });

  it("answers 404 for a conversation that does not exist", async () => {
    await channel.say("u-ada", "lost");
    const [answer] = channel.activities(channel.conversationOf("u-ada"));
    assert.equal(answer!.activity.text, "failed with 404");
  });

  it("waitFor resolves when a later message arrives and rejects with a summary on timeout", async () => {
    const waiting = channel.waitFor(() => channel.activities(channel.conversationOf("u-ada"))[0]);
    void channel.say("u-ada", "hello");
    assert.equal((await waiting).activity.text, "Hi Ada Lovelace");
    await assert.rejects(
      channel.waitFor(() => false, 50),
      /timed out after 50 ms/,
    );
  });
});
