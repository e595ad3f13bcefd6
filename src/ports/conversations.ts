import type { UserId } from "../domain/model";
import type { SentCard } from "./notifier";

/**
 * A Bot Framework conversation reference, kept as the plain JSON botbuilder produces
 * (`TurnContext.getConversationReference`), so proactive messages can reach the conversation.
 */
export type ConversationReferenceJson = Record<string, unknown>;

export interface TeamChannel {
  teamId: string;
  channelId: string;
  name: string;
}

/** Conversation references (per user, per team) and the cards sent into them. */
export interface ConversationStore {
  saveUserReference(userId: UserId, reference: ConversationReferenceJson): Promise<void>;
  getUserReference(userId: UserId): Promise<ConversationReferenceJson | undefined>;
  /**
   * A cached store drops what it remembers of the person's reference (Teams refused a send into
   * it); the next read asks storage. Stores without a cache need not have it.
   */
  forgetUserReference?(userId: UserId): void;
  saveTeam(teamId: string, reference: ConversationReferenceJson, channels: TeamChannel[]): Promise<void>;
  getTeam(
    teamId: string,
  ): Promise<{ reference: ConversationReferenceJson; channels: TeamChannel[] } | undefined>;
  /**
   * Remember a sent card under its subject (idempotent per activity id). `besideOthers`: a proactive
   * send beside other copies of its card (a stage's approvers): no answer waits on the row, so it may
   * wait a few milliseconds to share a write with theirs.
   */
  rememberCard(card: SentCard, options?: { besideOthers?: boolean }): Promise<void>;
  listCards(subject: string): Promise<SentCard[]>;
}
