import type { GovernanceConfig } from "../../domain/model";
import type { Clock } from "../../ports/runtime";
import type { GovernanceStore } from "../../ports/stores";

/**
 * The governance configuration changes rarely and every use case reads it, so it is kept for a
 * short time instead of scanning its partition on every request. A save through this instance
 * refreshes it at once; a save by another instance is seen within `ttlMs`.
 */
export class CachedGovernanceStore implements GovernanceStore {
  private cached?: { config: GovernanceConfig; loadedAt: number };
  private loading?: Promise<GovernanceConfig>;

  constructor(
    private readonly inner: GovernanceStore,
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  async load(): Promise<GovernanceConfig> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.loadedAt < this.ttlMs) return structuredClone(this.cached.config);
    // Concurrent callers share one read.
    this.loading ??= this.inner.load().then(
      (config) => {
        this.cached = { config, loadedAt: now };
        this.loading = undefined;
        return config;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return structuredClone(await this.loading);
  }

  async save(next: GovernanceConfig): Promise<void> {
    this.cached = undefined;
    await this.inner.save(next);
  }
}
