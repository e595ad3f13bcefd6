import type { EnvReader } from "./env-reader";
import type { Config } from "./settings";

/** Hours before an assignment expires at which its holder is reminded, e.g. two weeks and a day. */
export function readExpiryReminderHours({ read, problems }: EnvReader): number[] {
  const reminderRaw = read("EXPIRY_REMINDER_HOURS") ?? "336,24";
  const expiryReminderHours = reminderRaw.split(",").map((s) => Number(s.trim()));
  if (expiryReminderHours.some((h) => !Number.isInteger(h) || h <= 0)) {
    problems.push(
      `EXPIRY_REMINDER_HOURS="${reminderRaw}" is not valid: use hours before expiry, e.g. 336,24`,
    );
  }
  return expiryReminderHours;
}

/** How often the scheduler wakes, how much it takes per turn, and how often it reconciles. */
export function readScheduler({ int, bool }: EnvReader, expiryReminderHours: number[]): Config["scheduler"] {
  return {
    enabled: bool("SCHEDULER_ENABLED", true),
    intervalMs: int("SCHEDULER_INTERVAL_MS", 15_000, 100, 3_600_000),
    batchSize: int("SCHEDULER_BATCH_SIZE", 100, 1, 1000),
    expiryReminderHours,
    reconcileIntervalHours: int("RECONCILE_INTERVAL_HOURS", 24, 1, 24 * 31),
  };
}
