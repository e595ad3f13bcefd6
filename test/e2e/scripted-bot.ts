import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import type { LocalChannel } from "../../src/local-channel";
import { startFakeBot, type FakeBot } from "../local-channel/fake-bot";

const card = (body: unknown[], extra: Record<string, unknown> = {}) => ({
  type: "AdaptiveCard",
  version: "1.5",
  body,
  ...extra,
});

/** The request card: a text input and an Action.Execute whose data carries only an id. */
export const requestCard = card(
  [
    { type: "TextBlock", text: "Access request: **Salesforce**", wrap: true },
    { type: "Input.Text", id: "comment", label: "Comment", placeholder: "Why?" },
  ],
  { actions: [{ type: "Action.Execute", title: "Approve", verb: "approve", data: { requestId: "req_1" } }] },
);

/** A form whose button answers with the same form, empty again (as the approvals digest does). */
export const noteCard = card([{ type: "Input.Text", id: "note", label: "Note" }], {
  actions: [{ type: "Action.Execute", title: "Save note", verb: "note", data: {} }],
});

async function reply(context: TurnContext, channel: LocalChannel, bot: FakeBot): Promise<void> {
  const a = context.activity;
  if (a.type === "invoke") {
    const { verb, data } = (a.value as { action: { verb: string; data: Record<string, string> } }).action;
    if (verb === "note") {
      await context.sendActivity({
        type: "invokeResponse",
        value: {
          status: 200,
          body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: noteCard },
        },
      });
      return;
    }
    const text =
      verb === "approve" ? `Approved by ${a.from.name}: ${data.comment ?? ""}` : `Only for ${a.from.name}`;
    const value = card([{ type: "TextBlock", text, wrap: true }]);
    await context.sendActivity({
      type: "invokeResponse",
      value: {
        status: 200,
        body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value },
      },
    });
    return;
  }
  if (a.type !== "message") return;
  const [command, arg] = (a.text ?? "").trim().split(/\s+/);
  const attach = (c: object) => context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(c)));
  if (command === "card") await attach(requestCard);
  if (command === "note") await attach(noteCard);
  if (command === "markdown") {
    await context.sendActivity(
      '**Bold** and <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned=2">',
    );
  }
  if (command === "refresh") {
    await attach(
      card([{ type: "TextBlock", text: "Shared view" }], {
        refresh: {
          action: { type: "Action.Execute", verb: "view", data: {} },
          userIds: [a.from.aadObjectId],
        },
      }),
    );
  }
  if (command === "notify") {
    const params = { isGroup: false, members: [{ id: `29:${arg}` }], tenantId: a.conversation.tenantId };
    await bot.adapter.createConversationAsync(
      "",
      "msteams",
      channel.serviceUrl,
      "",
      params as never,
      async (ctx) => {
        await ctx.sendActivity(`A note for you from ${a.from.name}`);
      },
    );
  }
  if (command === "post") {
    const params = {
      isGroup: true,
      channelData: { channel: { id: arg } },
      activity: MessageFactory.text("Access granted: Salesforce"),
    };
    await bot.adapter.createConversationAsync(
      "",
      "msteams",
      channel.serviceUrl,
      "",
      params as never,
      async () => {},
    );
  }
}

export async function startScriptedBot(channel: LocalChannel): Promise<FakeBot> {
  const bot: FakeBot = await startFakeBot((context) => reply(context, channel, bot));
  return bot;
}
