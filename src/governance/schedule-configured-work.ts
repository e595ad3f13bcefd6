import { scheduleAutoAssignment, scheduleReviews, type LifecycleSettings } from "../app/lifecycle";
import type { GovernanceConfig, Instant } from "../domain/model";
import type { DueWorkIndex } from "../ports/stores";

export type ConfiguredWorkSettings = Pick<LifecycleSettings, "autoAssignmentIntervalMinutes">;

/**
 * The due work a configuration implies: the next review start of every reviewed policy and the
 * evaluation of every enabled auto-assignment rule (due at once: the current interval's slot).
 * Idempotent: the due index stores an item once per key, so running it at every apply and at every
 * start is harmless. Work that a change made stale stays in the index and is dropped by its handler,
 * which checks the current configuration when it runs.
 */
export async function scheduleConfiguredWork(
  deps: { due: DueWorkIndex },
  config: GovernanceConfig,
  now: Instant,
  settings?: ConfiguredWorkSettings,
): Promise<void> {
  await scheduleReviews(deps, config, now);
  await scheduleAutoAssignment(deps, config, now, settings);
}
