import type { Instant, UserId } from "../../domain/model";
import type { ConversationStore } from "../../ports/conversations";
import type { Logger } from "../../ports/logger";
import type { SentMessageFinder, SentMessagePlace } from "../../ports/sent-messages";

/** What a batch run again needs to tell whether a send without a delivery-log row went out. */
export interface LookBeforeResend {
  /** Reads the chat itself; without one only remembered card copies are checked. */
  finder?: SentMessageFinder;
  conversations: Pick<ConversationStore, "listCards" | "rememberCard" | "getUserReference">;
  logger: Logger;
}

export interface UnloggedSend {
  place: SentMessagePlace;
  deliveryKey: string;
  /** When the batch was journaled: nothing of it can be older. */
  since: Instant;
  /** The card's subject, when its copies are remembered for updates. */
  subject?: string;
}

export interface FoundSend {
  activityId: string;
  conversationId?: string;
}

/**
 * Looks before posting again (only when a journaled batch runs again): the send may have gone out
 * with its delivery-log row lost (the process died in between, or the row's write failed).
 * First the remembered card copies (a copy is remembered right after its post and keeps its key,
 * while card updates re-render the chat message without it); then the chat (`SentMessageFinder`).
 * A message found in the chat is remembered as a copy of its subject, so updates reach it.
 * Undefined means "post": a failed or missing look-up never keeps a message from going out.
 */
export async function lookBeforeResend(
  look: LookBeforeResend,
  send: UnloggedSend,
): Promise<FoundSend | undefined> {
  const { conversations, finder, logger } = look;
  const userId: UserId | undefined = "userId" in send.place ? send.place.userId : undefined;
  try {
    if (send.subject && userId) {
      const copy = (await conversations.listCards(send.subject)).find(
        (c) => c.deliveryKey === send.deliveryKey,
      );
      if (copy) return { activityId: copy.activityId, conversationId: copy.conversationId };
    }
    if (!finder) return undefined;
    const found = await finder.find(send.place, send.deliveryKey, send.since);
    if (!found) return undefined;
    const conversationId =
      found.conversationId ??
      (userId ? conversationOf(await conversations.getUserReference(userId)) : undefined);
    if (send.subject && userId && conversationId) {
      await conversations.rememberCard({
        subject: send.subject,
        userId,
        conversationId,
        activityId: found.activityId,
        deliveryKey: send.deliveryKey,
      });
    }
    logger.info(
      { deliveryKey: send.deliveryKey, activityId: found.activityId },
      "message found in the chat: recorded, not posted again",
    );
    return conversationId
      ? { activityId: found.activityId, conversationId }
      : { activityId: found.activityId };
  } catch (error) {
    logger.warn(
      { err: error, deliveryKey: send.deliveryKey },
      "could not look for the message in the chat; it is posted (it may show twice)",
    );
    return undefined;
  }
}

function conversationOf(reference: Record<string, unknown> | undefined): string | undefined {
  const id = (reference?.conversation as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : undefined;
}

/** How many unrecorded sends are kept; beyond that the oldest is left to the chat look-up. */
const KEPT_SENDS = 10_000;

/**
 * Sends of this process that are out while their delivery-log row could not be written (storage
 * answered 503 after its retries). A run of the batch in this process records them from here
 * instead of posting again; after a crash the chat look-up stands in for this memory.
 */
export class UnrecordedSends {
  private readonly kept = new Map<string, { sent: FoundSend | undefined }>();

  keep(deliveryKey: string, sent: FoundSend | undefined): void {
    this.kept.delete(deliveryKey);
    this.kept.set(deliveryKey, { sent });
    if (this.kept.size > KEPT_SENDS) this.kept.delete(this.kept.keys().next().value as string);
  }

  get(deliveryKey: string): { sent: FoundSend | undefined } | undefined {
    return this.kept.get(deliveryKey);
  }

  forget(deliveryKey: string): void {
    this.kept.delete(deliveryKey);
  }
}
