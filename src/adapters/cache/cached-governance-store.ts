import type { GovernanceConfig } from "../../domain/model";
import type { Clock } from "../../ports/runtime";
import type { GovernancePublish, GovernanceStore, GovernanceVersion, OwedAudit } from "../../ports/stores";

/**
 * The governance configuration changes rarely and every use case reads it, so `load` keeps it for a
 * short time instead of reading storage on every request. A change through this instance refreshes
 * it at once; a change by another instance is seen within `ttlMs`. Everything a change is based on
 * (`current`, the owed audit) is read from storage.
 *
 * Every caller gets the same snapshot of a version, frozen all the way down, instead of a copy per
 * request (a deep copy of the whole configuration cost ~4 % of a click's CPU): changing it throws,
 * so no request can change what the next one reads. Changes start from `current()`, a fresh read.
 */
export class CachedGovernanceStore implements GovernanceStore {
  private cached?: { config: GovernanceConfig; loadedAt: number };
  private loading?: Promise<GovernanceConfig>;
  /** Bumped by every change here: a read that started before it must not refill the cache. */
  private generation = 0;

  constructor(
    private readonly inner: GovernanceStore,
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  async load(): Promise<GovernanceConfig> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.loadedAt < this.ttlMs) return this.cached.config;
    // Concurrent callers share one read.
    const generation = this.generation;
    const loading = (this.loading ??= this.inner.load().then(
      (read) => {
        const config = deepFreeze(read);
        if (this.generation === generation) this.cached = { config, loadedAt: now };
        if (this.loading === loading) this.loading = undefined;
        return config;
      },
      (error: unknown) => {
        if (this.loading === loading) this.loading = undefined;
        throw error;
      },
    ));
    return loading;
  }

  current(): Promise<GovernanceVersion> {
    return this.inner.current();
  }

  async publish(change: GovernancePublish): Promise<void> {
    try {
      await this.inner.publish(change);
    } finally {
      this.forget();
    }
  }

  owedAudit(): Promise<OwedAudit[]> {
    return this.inner.owedAudit();
  }

  confirmAudited(versions: string[]): Promise<void> {
    return this.inner.confirmAudited(versions);
  }

  prune(): Promise<void> {
    return this.inner.prune();
  }

  async save(next: GovernanceConfig): Promise<void> {
    try {
      await this.inner.save(next);
    } finally {
      this.forget();
    }
  }

  private forget(): void {
    this.generation += 1;
    this.cached = undefined;
    this.loading = undefined;
  }
}

/** Freezes a plain JSON-shaped value and everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
