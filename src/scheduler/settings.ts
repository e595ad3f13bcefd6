/** How the sweeper runs. Every value has a default; the composition root maps env vars onto it. */
export interface SchedulerSettings {
  /** Pause between sweeps. */
  intervalMs: number;
  /** Random extra pause (0..jitterMs) so instances started together do not sweep in step. */
  jitterMs: number;
  /** At most this many due items per sweep; the rest wait for the next one. */
  batchSize: number;
  /** How long a claim keeps an item from other sweepers; a crashed sweeper's work reappears after it. */
  claimMs: number;
  /** How long the sweep lease lasts without renewal; a crashed holder is replaced after it. */
  leaseMs: number;
  /** Name of the lease row all instances compete for. */
  leaseName: string;
  /** After this many failed runs of one item it is dropped and logged as an error. */
  maxAttempts: number;
}

export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = {
  intervalMs: 30_000,
  jitterMs: 5_000,
  batchSize: 50,
  claimMs: 5 * 60_000,
  leaseMs: 90_000,
  leaseName: "due-work-sweeper",
  maxAttempts: 5,
};

/** Defaults overlaid with what is set; refuses values that would stall or spin the loop. */
export function resolveSchedulerSettings(overrides: Partial<SchedulerSettings> = {}): SchedulerSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const settings = { ...DEFAULT_SCHEDULER_SETTINGS, ...defined } as SchedulerSettings;
  const positive: (keyof SchedulerSettings)[] = [
    "intervalMs",
    "batchSize",
    "claimMs",
    "leaseMs",
    "maxAttempts",
  ];
  for (const key of positive) {
    const value = settings[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`Scheduler setting ${key} must be a positive number (got ${String(value)})`);
    }
  }
  if (!Number.isFinite(settings.jitterMs) || settings.jitterMs < 0) {
    throw new RangeError(`Scheduler setting jitterMs must be zero or more (got ${settings.jitterMs})`);
  }
  return settings;
}
