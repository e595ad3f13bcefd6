import { personalConversationId, threadConversationId } from "./conversation-ids";
import type { ConnectorReply } from "./connector-routes";
import type { ChannelStore } from "./store";
import type { RecordedActivity } from "./types";

const DEFAULT_TOP = 20;
const MAX_TOP = 50;

/**
 * `GET <basePath>/messages/users/{userId}` and `.../channels/{channelId}` (`?$top=`, default 20):
 * the newest messages the bot posted there, newest first, shaped as Graph's chatMessage (the card
 * JSON as a string in `attachments[].content`, as Teams keeps it). What Graph's
 * `GET /chats/{id}/messages` is to a real tenant, this is to local mode: a batch run again after a
 * crash looks here before posting a message its delivery log does not list.
 */
export function listSentMessages(store: ChannelStore, segments: string[], query: string): ConnectorReply {
  const [kind, id, extra] = segments;
  if (id === undefined || extra !== undefined || (kind !== "users" && kind !== "channels"))
    return {
      status: 404,
      body: { error: { code: "NotFound", message: "Use /messages/users/{id} or /messages/channels/{id}" } },
    };
  const requested = Number(new URLSearchParams(query).get("$top") ?? DEFAULT_TOP);
  const top = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_TOP) : DEFAULT_TOP;
  const conversationId = kind === "users" ? personalConversationId(id) : id;
  const posted = store
    .list(conversationId)
    .filter((a) => a.from === "bot" && !a.deleted)
    .reverse()
    .slice(0, top);
  return { status: 200, body: { value: posted.map((a) => asChatMessage(a, kind === "channels")) } };
}

function asChatMessage(recorded: RecordedActivity, inChannel: boolean) {
  const attachments =
    (recorded.activity.attachments as { contentType?: string; content?: unknown }[] | undefined) ?? [];
  return {
    id: recorded.id,
    // The Bot Framework conversation the message is in: a channel post opens its own thread.
    conversationId:
      inChannel && recorded.threadRootId === undefined
        ? threadConversationId(recorded.conversationId, recorded.id)
        : recorded.conversationId,
    createdDateTime: String(recorded.activity.timestamp ?? ""),
    messageType: "message",
    from: { application: { displayName: "Access Desk" } },
    attachments: attachments.map((a) => ({
      contentType: a.contentType,
      content: typeof a.content === "string" ? a.content : JSON.stringify(a.content ?? null),
    })),
  };
}
