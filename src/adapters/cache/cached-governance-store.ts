import type { GovernanceConfig } from "../../domain/model";
import type { Clock } from "../../ports/runtime";
import type { GovernancePublish, GovernanceStore, GovernanceVersion, OwedAudit } from "../../ports/stores";

/** How long an instance uses a version before confirming it again: the bound on seeing an apply. */
export const GOVERNANCE_CHECK_MS = 5_000;
/** From this share of `checkMs` on, a load confirms the version in the background, not waiting. */
const CONFIRM_AHEAD = 0.6;

/**
 * The governance configuration changes rarely and every use case reads it, so `load` keeps the
 * current version instead of reading storage on every request. At most once per `checkMs` one point
 * read of the version pointer confirms it, and the configuration is read again only when the version
 * changed: a change by another instance (`governance apply`) is used within `checkMs`. The read is
 * started by a load, so an idle instance reads nothing: a load in the last 40 % of the interval
 * starts it in the background and is answered from the cache (a busy instance never waits for it, so
 * no click has it on its path); only a load after the whole interval waits for it. A change through this instance
 * refreshes it at once; `load({ fresh: true })` confirms the version now. Everything a change is
 * based on (`current`, the owed audit) is read from storage.
 *
 * Every caller gets the same snapshot of a version, frozen all the way down, instead of a copy per
 * request (a deep copy of the whole configuration cost ~4 % of a click's CPU): changing it throws,
 * so no request can change what the next one reads. Changes start from `current()`, a fresh read.
 */
export class CachedGovernanceStore implements GovernanceStore {
  private cached?: { config: GovernanceConfig; version: string | undefined; checkedAt: number };
  private loading?: Promise<GovernanceConfig>;
  /** Bumped by every change here: a read that started before it must not refill the cache. */
  private generation = 0;

  constructor(
    private readonly inner: GovernanceStore,
    private readonly clock: Clock,
    private readonly checkMs = GOVERNANCE_CHECK_MS,
  ) {}

  async load(options: { fresh?: boolean } = {}): Promise<GovernanceConfig> {
    const now = this.clock.now().getTime();
    if (!options.fresh && this.cached && now - this.cached.checkedAt < this.checkMs) {
      if (now - this.cached.checkedAt >= this.checkMs * CONFIRM_AHEAD)
        void this.check(now).catch(() => undefined);
      return this.cached.config;
    }
    // A fresh read must not join a check that may have started before the caller's cause.
    if (options.fresh) return this.refresh(now);
    return this.check(now);
  }

  /** Concurrent callers (and a check started ahead) share one check. */
  private check(now: number): Promise<GovernanceConfig> {
    const loading = (this.loading ??= this.refresh(now).finally(() => {
      if (this.loading === loading) this.loading = undefined;
    }));
    return loading;
  }

  currentVersion(): Promise<string | undefined> {
    return this.inner.currentVersion();
  }

  /** The version first, then the configuration: a newer configuration under an older id only rereads. */
  private async refresh(startedAt: number): Promise<GovernanceConfig> {
    const generation = this.generation;
    const held = this.cached;
    const version = await this.inner.currentVersion();
    // No version yet (nothing stored, or the first layout): nothing to compare, so read it all.
    if (held && version !== undefined && version === held.version) {
      if (this.generation === generation && this.cached === held) {
        this.cached = { ...held, checkedAt: Math.max(held.checkedAt, startedAt) };
      }
      return held.config;
    }
    const config = deepFreeze(await this.inner.load());
    if (this.generation === generation) this.cached = { config, version, checkedAt: startedAt };
    return config;
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
