import type { Instant } from "../../domain/model";
import type { LeaseStore } from "../../ports/stores";

/** Named leases in memory: one holder at a time until the lease expires. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; until: number }>();

  async acquire(name: string, owner: string, now: Instant, ttlMs: number): Promise<boolean> {
    const nowMs = Date.parse(now);
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner && lease.until > nowMs) return false;
    this.leases.set(name, { owner, until: nowMs + ttlMs });
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }
}
