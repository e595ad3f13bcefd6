/** Teams conversation ids: `a:personal-<user>` for a 1:1 chat, `<channel>;messageid=<root>` for a thread. */

const PERSONAL_PREFIX = "a:personal-";
const THREAD_MARKER = ";messageid=";

export function personalConversationId(userId: string): string {
  return `${PERSONAL_PREFIX}${userId}`;
}

export function personalUserOf(conversationId: string): string | undefined {
  return conversationId.startsWith(PERSONAL_PREFIX)
    ? conversationId.slice(PERSONAL_PREFIX.length)
    : undefined;
}

export function threadConversationId(channelId: string, rootId: string): string {
  return `${channelId}${THREAD_MARKER}${rootId}`;
}

/** Splits a conversation id into the channel (or chat) it lives in and the thread root, if any. */
export function splitThread(conversationId: string): { base: string; threadRootId?: string } {
  const at = conversationId.indexOf(THREAD_MARKER);
  if (at < 0) return { base: conversationId };
  return { base: conversationId.slice(0, at), threadRootId: conversationId.slice(at + THREAD_MARKER.length) };
}

/** Teams member ids look like `29:<id>`; callers may also pass the bare aadObjectId. */
export function userIdOfMember(memberId: string): string {
  const orgId = /^8:orgid:(.+)$/.exec(memberId);
  if (orgId) return orgId[1]!;
  return memberId.startsWith("29:") ? memberId.slice(3) : memberId;
}

/**
 * The path segments after `prefix`, each percent-decoded on its own, so ids holding `:` `;` `@`
 * (sent encoded by botbuilder) come back whole and a decoded `/` cannot split a segment.
 */
export function pathSegments(rawUrl: string, prefix: string): string[] | undefined {
  const path = rawUrl.split("?")[0]!;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length).replace(/^\/+/, "");
  if (rest === "") return [];
  try {
    return rest.split("/").map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
