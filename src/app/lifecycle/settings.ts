import { DEFAULT_INACTIVE_DAYS } from "../../domain/reviews";

/** Timing of the work that runs by itself. Defaults follow Entra; the composition root may override. */
export interface LifecycleSettings {
  /** Reviews recommend denial for users who have not signed in for this many days. */
  inactiveDays: number;
  /** How often every auto-assignment policy is evaluated against the directory. */
  autoAssignmentIntervalMinutes: number;
  /** Hours between reconciliation sweeps (resources' real members against the assignments). */
  reconcileIntervalHours: number;
}

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  inactiveDays: DEFAULT_INACTIVE_DAYS,
  autoAssignmentIntervalMinutes: 60,
  reconcileIntervalHours: 24,
};

export function resolveLifecycleSettings(overrides: Partial<LifecycleSettings> = {}): LifecycleSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const settings = { ...DEFAULT_LIFECYCLE_SETTINGS, ...defined } as LifecycleSettings;
  for (const key of ["inactiveDays", "autoAssignmentIntervalMinutes", "reconcileIntervalHours"] as const) {
    if (!Number.isFinite(settings[key]) || settings[key] <= 0) {
      throw new RangeError(`Lifecycle setting ${key} must be a positive number (got ${settings[key]})`);
    }
  }
  return settings;
}
