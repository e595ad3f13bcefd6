import type { UserId } from "../../domain/model";
import type { ConversationStore } from "../../ports/conversations";

/**
 * After Teams refused a send (403, 404) into a remembered reference: it is forgotten, and the one
 * storage holds now is returned when it differs (another instance saved a newer one).
 */
export async function referenceAfterRefusal(
  conversations: ConversationStore,
  userId: UserId,
  used: Record<string, unknown> | undefined,
  error: unknown,
): Promise<{ reference: Record<string, unknown> | undefined } | undefined> {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if ((status !== 403 && status !== 404) || !conversations.forgetUserReference) return undefined;
  conversations.forgetUserReference(userId);
  const stored = await conversations.getUserReference(userId);
  const same = JSON.stringify(stored?.conversation) === JSON.stringify(used?.conversation);
  return same && stored?.serviceUrl === used?.serviceUrl ? undefined : { reference: stored };
}
