import { personalConversationId } from "./conversation-ids";
import type { ActivityJson, ChannelInfo, Persona, TeamInfo } from "./types";
import { BOT_ID, BOT_NAME } from "./types";

/** What every activity sent to the bot shares; mirrors what Teams sends. */
export interface IncomingContext {
  serviceUrl: string;
  tenantId: string;
  now: string;
  id: string;
  locale: string;
}

export function teamsUser(userId: string, persona: Persona | undefined): Record<string, unknown> {
  return { id: `29:${userId}`, aadObjectId: userId, name: persona?.displayName ?? userId };
}

export const botAccount = { id: BOT_ID, name: BOT_NAME };

function base(ctx: IncomingContext, type: string, from: Record<string, unknown>): ActivityJson {
  return {
    type,
    id: ctx.id,
    timestamp: ctx.now,
    localTimestamp: ctx.now,
    serviceUrl: ctx.serviceUrl,
    channelId: "msteams",
    from,
    recipient: botAccount,
    locale: ctx.locale,
    entities: [{ type: "clientInfo", locale: ctx.locale, platform: "Web" }],
  };
}

function personalConversation(ctx: IncomingContext, userId: string) {
  return {
    conversation: {
      id: personalConversationId(userId),
      conversationType: "personal",
      tenantId: ctx.tenantId,
    },
    channelData: { tenant: { id: ctx.tenantId } },
  };
}

export function channelConversation(
  ctx: IncomingContext,
  conversationId: string,
  team: TeamInfo,
  channel: ChannelInfo,
) {
  return {
    conversation: { id: conversationId, conversationType: "channel", isGroup: true, tenantId: ctx.tenantId },
    channelData: {
      tenant: { id: ctx.tenantId },
      team: { id: team.id, name: team.name, aadGroupId: team.id },
      channel: { id: channel.id, name: channel.name },
    },
  };
}

export function messageActivity(
  ctx: IncomingContext,
  userId: string,
  persona: Persona | undefined,
  text: string,
) {
  return {
    ...base(ctx, "message", teamsUser(userId, persona)),
    ...personalConversation(ctx, userId),
    text,
    textFormat: "plain",
  };
}

/** A post in a team channel that @mentions the bot, as Teams sends it. */
export function channelMessageActivity(
  ctx: IncomingContext,
  userId: string,
  persona: Persona | undefined,
  where: { team: TeamInfo; channel: ChannelInfo },
  text: string,
) {
  const mention = `<at>${BOT_NAME}</at>`;
  return {
    ...base(ctx, "message", teamsUser(userId, persona)),
    ...channelConversation(ctx, where.channel.id, where.team, where.channel),
    text: `${mention} ${text}`,
    textFormat: "plain",
    entities: [{ type: "mention", text: mention, mentioned: botAccount }],
  };
}

/** The personal install: the bot joins the user's 1:1 chat. */
export function personalInstallActivity(ctx: IncomingContext, userId: string, persona: Persona | undefined) {
  return {
    ...base(ctx, "conversationUpdate", teamsUser(userId, persona)),
    ...personalConversation(ctx, userId),
    membersAdded: [botAccount],
  };
}

/** A team install arrives in the team's General channel (whose id is the team id). */
export function teamInstallActivity(ctx: IncomingContext, team: TeamInfo, by: Record<string, unknown>) {
  const general = team.channels.find((c) => c.id === team.id) ?? { id: team.id, name: "General" };
  const shaped = channelConversation(ctx, team.id, team, general);
  return {
    ...base(ctx, "conversationUpdate", by),
    ...shaped,
    channelData: {
      ...shaped.channelData,
      eventType: "teamMemberAdded",
      settings: { selectedChannel: general },
    },
    membersAdded: [botAccount],
  };
}

export interface InvokeShape {
  verb: string;
  data: unknown;
  trigger: "manual" | "automatic";
  replyToId: string;
  /** What Teams adds when it sends a click again after a sign-in (`authentication`, `state`). */
  extra?: Record<string, unknown>;
}

/** An Action.Execute click (or an automatic `refresh`), as Teams sends it. */
export function actionInvokeActivity(
  ctx: IncomingContext,
  from: Record<string, unknown>,
  where: { conversation: Record<string, unknown>; channelData: Record<string, unknown> },
  invoke: InvokeShape,
) {
  return {
    ...base(ctx, "invoke", from),
    ...where,
    name: "adaptiveCard/action",
    replyToId: invoke.replyToId,
    value: {
      action: { type: "Action.Execute", verb: invoke.verb, data: invoke.data },
      trigger: invoke.trigger,
      ...invoke.extra,
    },
  };
}
