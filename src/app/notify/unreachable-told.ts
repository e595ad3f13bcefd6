import type { DeliveryLog } from "../../ports/deliveries";
import type { Logger } from "../../ports/logger";

/** How long one notice that someone cannot be reached stands for every later refusal like it. */
export const TOLD_FOR_MS = 24 * 60 * 60 * 1000;
/** Notices this process remembers having sent (the register in storage holds them all). */
const REMEMBERED = 1000;

/** The delivery log's partition that lists who was told about one person the app cannot reach. */
export const unreachableRegister = (personId: string) => `unreachable-${personId}`;

/**
 * Who has been told, and when, that a person cannot be reached: a burst of cards refused to one
 * approver tells each catalog owner once a day (and each requester once a day per request), not once
 * per card. Kept in the delivery log's register of the person, so another instance or a restart
 * knows, and in this process while the burst's batches, planned side by side, are still reading it.
 */
export class UnreachableTold {
  /** `<person>\n<key>` → when this process claimed or recorded it (ms). */
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly deliveries: DeliveryLog,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /**
   * The keys (`owner|<package>|<who>`, `requester|<request>|<who>`) nobody has been told within a
   * day about `personId`; they are claimed here until `told` or `untold` settles them.
   */
  async claim(personId: string, keys: string[]): Promise<string[]> {
    const now = this.now();
    const fresh = (at: number | undefined) => at !== undefined && now - at < TOLD_FOR_MS;
    const open = keys.filter((k) => !fresh(this.recent.get(`${personId}\n${k}`)));
    if (open.length === 0) return [];
    // Claimed before the read: a batch planned beside this one finds them taken.
    for (const k of open) this.remember(personId, k, now);
    // Unreadable, the register counts as empty: a notice told twice beats one never told.
    const rows = await this.deliveries.listBatch(unreachableRegister(personId)).catch((error: unknown) => {
      this.logger.warn({ err: error, personId }, "who was told not read; telling again");
      return [];
    });
    const stored = new Map(rows.map((r) => [r.key, Date.parse(r.at)]));
    const wanted = open.filter((k) => !fresh(stored.get(k)));
    for (const k of open) if (!wanted.includes(k)) this.remember(personId, k, stored.get(k)!);
    return wanted;
  }

  /** The notices went out: the register says so for a day. */
  async told(personId: string, keys: string[], at: string): Promise<void> {
    await Promise.all(
      keys.map((key) => this.deliveries.record(unreachableRegister(personId), { key, status: "sent", at })),
    );
  }

  /** The notices did not go out: a later refusal may tell them. */
  untold(personId: string, keys: string[]): void {
    for (const k of keys) this.recent.delete(`${personId}\n${k}`);
  }

  private remember(personId: string, key: string, at: number): void {
    const id = `${personId}\n${key}`;
    this.recent.delete(id);
    this.recent.set(id, at);
    if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }
}
