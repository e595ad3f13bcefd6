import type { UserId } from "../../domain/model";
import type { ConversationReferenceJson, ConversationStore, TeamChannel } from "../../ports/conversations";
import type { SentCard } from "../../ports/notifier";
import { storedCopy } from "../shared/stored-json";

/** The identity of a sent card: one per activity in a conversation. */
export function cardKey(card: SentCard): string {
  return `${card.conversationId}|${card.activityId}`;
}

/** Conversation references and sent cards in memory. */
export class MemoryConversationStore implements ConversationStore {
  private readonly users = new Map<UserId, ConversationReferenceJson>();
  private readonly teams = new Map<
    string,
    { reference: ConversationReferenceJson; channels: TeamChannel[] }
  >();
  private readonly cards = new Map<string, Map<string, SentCard>>();

  async saveUserReference(userId: UserId, reference: ConversationReferenceJson): Promise<void> {
    this.users.set(userId, storedCopy("conversation reference", reference));
  }

  async getUserReference(userId: UserId): Promise<ConversationReferenceJson | undefined> {
    const reference = this.users.get(userId);
    return reference && storedCopy("conversation reference", reference);
  }

  async saveTeam(
    teamId: string,
    reference: ConversationReferenceJson,
    channels: TeamChannel[],
  ): Promise<void> {
    this.teams.set(teamId, storedCopy("team", { reference, channels }));
  }

  async getTeam(
    teamId: string,
  ): Promise<{ reference: ConversationReferenceJson; channels: TeamChannel[] } | undefined> {
    const team = this.teams.get(teamId);
    return team && storedCopy("team", team);
  }

  async rememberCard(card: SentCard): Promise<void> {
    const bySubject = this.cards.get(card.subject) ?? new Map<string, SentCard>();
    bySubject.set(cardKey(card), storedCopy("sent card", card));
    this.cards.set(card.subject, bySubject);
  }

  /** Ordered by conversation, then activity id. */
  async listCards(subject: string): Promise<SentCard[]> {
    const bySubject = this.cards.get(subject);
    if (!bySubject) return [];
    return [...bySubject.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, card]) => storedCopy("sent card", card));
  }
}
