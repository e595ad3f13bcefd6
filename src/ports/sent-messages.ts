import type { ChannelRef, Instant, UserId } from "../domain/model";

/** Where a message of a journaled batch was meant to go: a person's 1:1 chat with the app, or a channel. */
export type SentMessagePlace = { userId: UserId } | { channel: ChannelRef };

/** A message found in the chat: its activity id (Teams' chatMessage id is the same id). */
export interface FoundMessage {
  activityId: string;
  /** The Bot Framework conversation it lives in, when the reader knows it. */
  conversationId?: string;
}

/**
 * Looks in the chat itself for a message Access Desk posted, by the delivery key every card of a
 * journaled batch carries. The Bot Connector takes no idempotency key, so a batch run again after a
 * crash asks here before posting a message its delivery log does not list: a post whose answer or
 * log row was lost is found and recorded instead of being posted twice.
 */
export interface SentMessageFinder {
  /**
   * The newest messages of the place (a page, about 20) posted at or after `since`, searched for
   * `deliveryKey`; undefined when none carries it. Throws when the chat could not be read: the
   * caller then posts (a message must never be lost for want of a look-up).
   */
  find(place: SentMessagePlace, deliveryKey: string, since: Instant): Promise<FoundMessage | undefined>;
}
