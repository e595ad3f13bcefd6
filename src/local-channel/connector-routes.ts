import { splitThread, threadConversationId, userIdOfMember } from "./conversation-ids";
import type { ChannelStore } from "./store";
import type { ActivityJson, Persona } from "./types";

export interface ConnectorReply {
  status: number;
  body?: unknown;
}

export interface ConnectorDeps {
  store: ChannelStore;
  tenantId: string;
  persona(userId: string): Persona | undefined;
  personas(): Persona[];
  now(): string;
}

const error = (status: number, code: string, message: string): ConnectorReply => ({
  status,
  body: { error: { code, message } },
});

const notFound = (id: string) => error(404, "ConversationNotFound", `Conversation not found: ${id}`);

/** What Teams answers a bot writing to someone who removed the app. */
const removedApp = (userId: string) =>
  error(
    403,
    "BotNotInConversationRoster",
    `The bot is not part of the conversation roster (${userId} removed the app).`,
  );

/** Teams-shaped member (TeamsChannelAccount) for a user id. */
export function teamsMember(deps: ConnectorDeps, userId: string) {
  const persona = deps.persona(userId);
  const name = persona?.displayName ?? userId;
  const [givenName, ...rest] = name.split(" ");
  return {
    id: `29:${userId}`,
    name,
    aadObjectId: userId,
    objectId: userId,
    givenName,
    surname: rest.join(" ") || undefined,
    tenantId: deps.tenantId,
    userRole: "user",
  };
}

/**
 * The Bot Connector REST API (the part a Teams bot uses), over the in-memory store.
 * `segments` are the decoded path segments after `/v3`.
 */
export function handleConnector(
  deps: ConnectorDeps,
  method: string,
  segments: string[],
  body: unknown,
): ConnectorReply {
  const [root, id, sub, subId, extra] = segments;
  if (root === "conversations" && id === undefined && method === "POST")
    return createConversation(deps, body);
  if (root === "teams" && id !== undefined && method === "GET") return teamRoute(deps, id, sub);
  if (root !== "conversations" || id === undefined || extra !== undefined) {
    return error(404, "NotFound", `No route for ${method} /v3/${segments.join("/")}`);
  }
  const conversation = deps.store.resolve(id);
  if (!conversation) return notFound(id);
  const writes = sub === "activities" && (method === "POST" || method === "PUT");
  if (writes && conversation.userId !== undefined && deps.store.hasRemoved(conversation.userId))
    return removedApp(conversation.userId);
  if (sub === "activities" && method === "POST") return send(deps, id, body, subId);
  if (sub === "activities" && subId !== undefined && method === "PUT") {
    const updated = deps.store.update(subId, stamp(deps, body));
    return updated
      ? { status: 200, body: { id: subId } }
      : error(404, "ActivityNotFound", `No activity ${subId}`);
  }
  if (sub === "activities" && subId !== undefined && method === "DELETE") {
    return deps.store.remove(subId)
      ? { status: 200 }
      : error(404, "ActivityNotFound", `No activity ${subId}`);
  }
  if ((sub === "members" || sub === "pagedmembers") && method === "GET") {
    const userIds =
      conversation.kind === "personal" ? [conversation.userId!] : deps.personas().map((p) => p.id);
    if (sub === "pagedmembers")
      return { status: 200, body: { members: userIds.map((u) => teamsMember(deps, u)) } };
    if (subId === undefined) return { status: 200, body: userIds.map((u) => teamsMember(deps, u)) };
    const wanted = userIdOfMember(subId);
    return userIds.includes(wanted)
      ? { status: 200, body: teamsMember(deps, wanted) }
      : error(404, "MemberNotFoundInConversation", `Member ${subId} is not in ${id}`);
  }
  return error(405, "MethodNotAllowed", `${method} not supported on /v3/${segments.join("/")}`);
}

function stamp(deps: ConnectorDeps, body: unknown): ActivityJson {
  const activity = (body ?? {}) as ActivityJson;
  return { ...activity, timestamp: deps.now() };
}

function send(
  deps: ConnectorDeps,
  conversationId: string,
  body: unknown,
  replyToId?: string,
): ConnectorReply {
  const activity = stamp(deps, body);
  if (activity.type !== "message") {
    // Typing indicators and other non-message activities are acknowledged, not shown.
    return { status: 200, body: { id: deps.store.nextId() } };
  }
  const extra = replyToId !== undefined ? { replyToId } : {};
  const recorded = deps.store.record(conversationId, "bot", activity, extra);
  return { status: 201, body: { id: recorded.id } };
}

function createConversation(deps: ConnectorDeps, body: unknown): ConnectorReply {
  const params = (body ?? {}) as {
    isGroup?: boolean;
    members?: { id?: string }[];
    channelData?: { channel?: { id?: string } };
    activity?: ActivityJson;
  };
  const channelId = params.channelData?.channel?.id;
  if (channelId !== undefined) {
    if (!deps.store.channel(channelId)) return notFound(channelId);
    if (!params.activity) return { status: 201, body: { id: channelId } };
    const post = deps.store.record(channelId, "bot", stamp(deps, params.activity));
    return { status: 201, body: { id: threadConversationId(channelId, post.id), activityId: post.id } };
  }
  const member = params.members?.[0]?.id;
  if (params.isGroup || member === undefined || (params.members?.length ?? 0) !== 1) {
    return error(
      400,
      "BadArgument",
      "Give one member for a 1:1 chat, or channelData.channel.id for a channel",
    );
  }
  const userId = userIdOfMember(member);
  if (deps.store.hasRemoved(userId)) return removedApp(userId);
  const conversationId = deps.store.openPersonal(userId);
  if (!params.activity) return { status: 201, body: { id: conversationId } };
  const sent = deps.store.record(conversationId, "bot", stamp(deps, params.activity));
  return { status: 201, body: { id: conversationId, activityId: sent.id } };
}

function teamRoute(deps: ConnectorDeps, teamId: string, sub: string | undefined): ConnectorReply {
  const team = deps.store.team(splitThread(teamId).base);
  if (!team) return error(404, "NotFound", `Team not found: ${teamId}`);
  if (sub === undefined) return { status: 200, body: { id: team.id, name: team.name, aadGroupId: team.id } };
  if (sub === "conversations") {
    // Teams leaves the General channel (whose id is the team id) unnamed.
    const conversations = team.channels.map((c) => (c.id === team.id ? { id: c.id } : c));
    return { status: 200, body: { conversations } };
  }
  return error(404, "NotFound", `No route for /v3/teams/${teamId}/${sub}`);
}
