import type { UserId } from "../../domain/model";
import type { ConversationReferenceJson, ConversationStore, TeamChannel } from "../../ports/conversations";
import type { SentCard } from "../../ports/notifier";

export interface RememberedReferencesOptions {
  /** How long a remembered reference spares a save and a read. Default one hour. */
  ttlMs?: number;
  /** How long "nobody saved a reference for this person" is remembered. Default one minute. */
  missingTtlMs?: number;
  /** People remembered at most (the oldest are forgotten first). Default 10,000. */
  maxUsers?: number;
  now?: () => number;
}

interface Known {
  /** `comparable(reference)`; undefined: storage holds none. */
  key: string | undefined;
  reference: ConversationReferenceJson | undefined;
  at: number;
}

/**
 * A person's conversation reference is saved on every message and click and read for every card
 * sent or updated to them, and it almost never changes. This store remembers, per person, the
 * reference this process last saved or read:
 * - a save writes only when the reference differs from it (or nothing is remembered), sparing a
 *   storage write on the click path; the incoming activity's id is left out of the comparison (a
 *   continued conversation never uses it);
 * - a read answers from it, sparing a storage read per card (a lifecycle sent and updated some
 *   twenty cards, each reading its person's reference).
 * Remembering expires after `ttlMs` (`missingTtlMs` for a person with no reference yet), so a
 * reference another instance changed is read and written again by this one at the latest then; a
 * send that Teams refuses (403, 404) drops it at once (`forgetUserReference`), and the notifier
 * tries again with what storage holds. Teams keeps a person's 1:1 conversation with the bot across
 * reinstalls, so a reference a little old still reaches them.
 */
export class RememberedReferences implements ConversationStore {
  private readonly known = new Map<UserId, Known>();
  private readonly reading = new Map<UserId, Promise<ConversationReferenceJson | undefined>>();
  private readonly teams = new Map<
    string,
    { team: { reference: ConversationReferenceJson; channels: TeamChannel[] }; at: number }
  >();
  private readonly ttlMs: number;
  private readonly missingTtlMs: number;
  private readonly maxUsers: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: ConversationStore,
    options: RememberedReferencesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.missingTtlMs = options.missingTtlMs ?? 60_000;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async saveUserReference(userId: UserId, reference: ConversationReferenceJson): Promise<void> {
    const key = comparable(reference);
    const known = this.fresh(userId);
    if (known && known.key === key) return;
    this.forgetUserReference(userId);
    await this.inner.saveUserReference(userId, reference);
    this.remember(userId, copyOf(reference));
  }

  async getUserReference(userId: UserId): Promise<ConversationReferenceJson | undefined> {
    const known = this.fresh(userId);
    if (known) return known.reference && copyOf(known.reference);
    // Concurrent readers of one person (a batch's cards) share one read.
    let reading = this.reading.get(userId);
    if (!reading) {
      reading = this.inner.getUserReference(userId);
      this.reading.set(userId, reading);
      const settled = () => {
        if (this.reading.get(userId) === reading) this.reading.delete(userId);
      };
      reading.then((reference) => {
        // What storage holds now, unless a save or a forget overtook the read.
        if (this.reading.get(userId) === reading) this.remember(userId, reference && copyOf(reference));
        settled();
      }, settled);
    }
    const reference = await reading;
    return reference && copyOf(reference);
  }

  /** Drops what this process remembers of the person's reference: the next read asks storage. */
  forgetUserReference(userId: UserId): void {
    this.known.delete(userId);
    this.reading.delete(userId);
  }

  async saveTeam(
    teamId: string,
    reference: ConversationReferenceJson,
    channels: TeamChannel[],
  ): Promise<void> {
    this.teams.delete(teamId);
    await this.inner.saveTeam(teamId, reference, channels);
    this.teams.set(teamId, { team: structuredClone({ reference, channels }), at: this.now() });
  }

  /**
   * A team's reference, remembered like a person's for `ttlMs` once found (every channel notice
   * read it; it changes only when the app is installed again, which this process saves): a team
   * nobody saved is asked again on the next read. Teams are few, so all found are kept.
   */
  async getTeam(teamId: string) {
    const known = this.teams.get(teamId);
    if (known && this.now() - known.at < this.ttlMs) return structuredClone(known.team);
    const team = await this.inner.getTeam(teamId);
    if (team) this.teams.set(teamId, { team: structuredClone(team), at: this.now() });
    return team;
  }

  rememberCard(card: SentCard, options?: { besideOthers?: boolean }): Promise<void> {
    return this.inner.rememberCard(card, options);
  }

  listCards(subject: string): Promise<SentCard[]> {
    return this.inner.listCards(subject);
  }

  /** What is remembered of the person, if it has not expired. */
  private fresh(userId: UserId): Known | undefined {
    const known = this.known.get(userId);
    if (!known) return undefined;
    const ttl = known.reference ? this.ttlMs : this.missingTtlMs;
    return this.now() - known.at < ttl ? known : undefined;
  }

  private remember(userId: UserId, reference: ConversationReferenceJson | undefined): void {
    this.known.delete(userId);
    this.known.set(userId, { key: reference && comparable(reference), reference, at: this.now() });
    if (this.known.size > this.maxUsers) this.known.delete(this.known.keys().next().value!);
  }
}

/** A deep copy: no caller can change what the next one reads. */
const copyOf = (reference: ConversationReferenceJson): ConversationReferenceJson =>
  structuredClone(reference);

/** The reference as JSON with sorted keys and without the activity id it was taken from. */
function comparable(reference: ConversationReferenceJson): string {
  const { activityId: _activityId, ...rest } = reference;
  return JSON.stringify(rest, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
}
