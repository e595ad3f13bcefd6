import type { UserId } from "../../domain/model";
import type { ConversationReferenceJson, ConversationStore, TeamChannel } from "../../ports/conversations";
import type { SentCard } from "../../ports/notifier";

export interface RememberedReferencesOptions {
  /** How long a remembered reference spares a save. Default one hour. */
  ttlMs?: number;
  /** People remembered at most (the oldest are forgotten first). Default 10,000. */
  maxUsers?: number;
  now?: () => number;
}

/**
 * The bot saves a person's conversation reference on every message and click, and it almost never
 * changes: this store writes it only when it differs from what this process last saved or read for
 * that person (or nothing is remembered), sparing a storage write on the click path. The incoming
 * activity's id is left out of the comparison: a continued conversation never uses it.
 * Remembering expires after `ttlMs`, so a reference another instance changed is written again by
 * this one at the latest then. Reads and everything else go to the inner store as they are.
 */
export class RememberedReferences implements ConversationStore {
  private readonly known = new Map<UserId, { key: string; at: number }>();
  private readonly ttlMs: number;
  private readonly maxUsers: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: ConversationStore,
    options: RememberedReferencesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async saveUserReference(userId: UserId, reference: ConversationReferenceJson): Promise<void> {
    const key = comparable(reference);
    const known = this.known.get(userId);
    if (known && known.key === key && this.now() - known.at < this.ttlMs) return;
    this.known.delete(userId);
    await this.inner.saveUserReference(userId, reference);
    this.remember(userId, key);
  }

  async getUserReference(userId: UserId): Promise<ConversationReferenceJson | undefined> {
    const reference = await this.inner.getUserReference(userId);
    // What storage holds now: a save of the same reference is not needed.
    if (reference) this.remember(userId, comparable(reference));
    else this.known.delete(userId);
    return reference;
  }

  saveTeam(teamId: string, reference: ConversationReferenceJson, channels: TeamChannel[]): Promise<void> {
    return this.inner.saveTeam(teamId, reference, channels);
  }

  getTeam(teamId: string) {
    return this.inner.getTeam(teamId);
  }

  rememberCard(card: SentCard): Promise<void> {
    return this.inner.rememberCard(card);
  }

  listCards(subject: string): Promise<SentCard[]> {
    return this.inner.listCards(subject);
  }

  private remember(userId: UserId, key: string): void {
    this.known.delete(userId);
    this.known.set(userId, { key, at: this.now() });
    if (this.known.size > this.maxUsers) this.known.delete(this.known.keys().next().value!);
  }
}

/** The reference as JSON with sorted keys and without the activity id it was taken from. */
function comparable(reference: ConversationReferenceJson): string {
  const { activityId: _activityId, ...rest } = reference;
  return JSON.stringify(rest, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
}
