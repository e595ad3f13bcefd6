import type { ChannelRef, UserId } from "../domain/model";

/** A card to send: the template under `cards/` and the view model it binds to. */
export interface CardMessage {
  template: string;
  data: Record<string, unknown>;
  /** Plain text for notifications and clients that cannot show cards. */
  summary: string;
}

/** A card expanded from its template, ready to send: what the notifier delivers. */
export interface OutgoingCard {
  /** The Adaptive Card JSON. */
  card: Record<string, unknown>;
  /** Plain text for notifications and clients that cannot show cards. */
  summary: string;
  /**
   * The send's key in its journaled batch (`<batch id>/<event>|<kind>|<recipient>`): the notifier
   * puts it in the card, where a batch run again can find it in the chat (`SentMessageFinder`).
   */
  deliveryKey?: string;
  /**
   * A notice of progress nobody waits on or acts on (a stage approved): when Teams' rate binds, it
   * goes after the messages people do wait for (outcomes, approval cards, replies).
   */
  progress?: boolean;
  /**
   * What the message tells about (`request:<id>`): a progress notice about it still waiting for its
   * turn is dropped once a later message about it (an outcome) is on its way to the same person.
   */
  about?: string;
}

/**
 * A progress notice that an outcome overtook while it waited for its turn: not sent, and not to be
 * sent again (it would tell something older than what the person already reads).
 */
export class SupersededNotice extends Error {
  constructor(conversationId: string) {
    super(`A later message in ${conversationId} made this progress notice moot; it was not sent`);
    this.name = "SupersededNotice";
  }
}

/** A sent card, remembered so every copy can be re-rendered when state changes. */
export interface SentCard {
  /** What the card shows: "request:<id>", "review:<id>:<reviewer>", "assignment:<id>". */
  subject: string;
  userId?: UserId;
  conversationId: string;
  activityId: string;
  /** The delivery key the card was sent with, so a batch run again finds the copy it posted. */
  deliveryKey?: string;
  /**
   * A notice of progress nobody waits on or acts on (a stage approved): when Teams' rate binds, it
   * goes after the messages people do wait for (outcomes, approval cards, replies).
   */
  progress?: boolean;
}

/** Proactive messages to people and channels, and in-place card updates. */
export interface Notifier {
  /** Send to the user's 1:1 chat (creating it if needed); remembers the card under `subject`. */
  sendToUser(userId: UserId, message: OutgoingCard, subject?: string): Promise<SentCard | undefined>;
  sendToChannel(channel: ChannelRef, message: OutgoingCard): Promise<void>;
  /** Re-render every remembered copy of the subject's card with `message`. */
  updateCards(subject: string, message: OutgoingCard): Promise<number>;
}
