import type { Delegation } from "../../domain/delegation/delegation";
import type { UserId } from "../../domain/model";
import type { DelegationReadOptions, DelegationStore } from "../../ports/delegations";

/** How old a copy of the delegations may be: the bound on seeing another instance's change. */
export const DELEGATIONS_STALE_MS = 30_000;

/**
 * Every approval card asks who delegated (each approver of the stage) and every click whether the
 * clicker decides for someone, so a lifecycle read the Delegations table a dozen times although
 * delegations change a few times a day. This store reads the whole partition once (one query:
 * delegations are few) and answers `list` and `listForDelegate` from that copy for `staleMs`; a
 * change through this store drops the copy at once, a change by another instance is seen within
 * `staleMs`. What a delegation allows is confirmed in storage: `principalsNow`
 * (app/delegation/in-force.ts) reads with `fresh` before anyone decides for someone, and `get`
 * always reads storage. Journaled effects run again no sooner than EFFECTS_GRACE_MINUTES (2) after
 * they were written, longer than `staleMs`: a replay on any instance sees the delegation it follows.
 */
export class CachedDelegations implements DelegationStore {
  private cached?: { rows: Promise<Delegation[]>; at: number };

  constructor(
    private readonly inner: DelegationStore,
    private readonly staleMs = DELEGATIONS_STALE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** One approver's delegation from storage: what is decided on it (a replaced one, a journaled batch) needs it as it is. */
  get(approverId: UserId): Promise<Delegation | undefined> {
    return this.inner.get(approverId);
  }

  async list(options: DelegationReadOptions = {}): Promise<Delegation[]> {
    return options.fresh ? this.inner.list() : this.all();
  }

  async listForDelegate(delegateId: UserId, options: DelegationReadOptions = {}): Promise<Delegation[]> {
    if (options.fresh) return this.inner.listForDelegate(delegateId);
    return (await this.all()).filter((d) => d.delegateId === delegateId);
  }

  async put(delegation: Delegation): Promise<void> {
    return this.changing(() => this.inner.put(delegation));
  }

  async remove(approverId: UserId): Promise<Delegation | undefined> {
    return this.changing(() => this.inner.remove(approverId));
  }

  /** Drops the copy before and after the change: a read that overlapped it is not kept. */
  private async changing<T>(change: () => Promise<T>): Promise<T> {
    this.cached = undefined;
    try {
      return await change();
    } finally {
      this.cached = undefined;
    }
  }

  /** Copies out, so no caller can change what the next one reads. */
  private async all(): Promise<Delegation[]> {
    const now = this.now();
    let entry = this.cached;
    if (!entry || now - entry.at >= this.staleMs) {
      // Concurrent callers share one read; a failed read is not remembered.
      const fresh = { rows: this.inner.list(), at: now };
      fresh.rows.catch(() => {
        if (this.cached === fresh) this.cached = undefined;
      });
      this.cached = entry = fresh;
    }
    return (await entry.rows).map((d) => ({ ...d }));
  }
}
