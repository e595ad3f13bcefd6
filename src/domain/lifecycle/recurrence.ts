import type { Instant, ReviewRecurrence, ReviewSettings } from "../model";
import { addDays, isBefore, toMs } from "../time";

/** Months between two occurrences of a recurring access review. */
export const RECURRENCE_MONTHS: Record<ReviewRecurrence, number> = {
  monthly: 1,
  quarterly: 3,
  semiAnnual: 6,
  annual: 12,
};

type Recurring = Pick<ReviewSettings, "recurrence" | "startDate">;

/**
 * The n-th occurrence (0 is the start date). Months are added to the start date in UTC, never
 * chained, and the day is clamped to the month's end: a review starting Jan 31 runs Feb 28, Mar 31.
 */
export function occurrenceAt(settings: Recurring, n: number): Instant {
  const start = new Date(settings.startDate);
  const months = start.getUTCMonth() + n * RECURRENCE_MONTHS[settings.recurrence];
  const year = start.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
      start.getUTCMilliseconds(),
    ),
  ).toISOString();
}

/** Index of the last occurrence at or before `at`; -1 before the start date. */
export function occurrenceIndexAt(settings: Recurring, at: Instant): number {
  if (isBefore(at, settings.startDate)) return -1;
  const start = new Date(settings.startDate);
  const when = new Date(at);
  const monthsApart =
    (when.getUTCFullYear() - start.getUTCFullYear()) * 12 + (when.getUTCMonth() - start.getUTCMonth());
  let n = Math.max(0, Math.floor(monthsApart / RECURRENCE_MONTHS[settings.recurrence]));
  // The month estimate may be one off when the day or time of month has not come yet.
  while (n > 0 && isBefore(at, occurrenceAt(settings, n))) n -= 1;
  while (!isBefore(at, occurrenceAt(settings, n + 1))) n += 1;
  return n;
}

/** True when `at` is exactly one of the policy's occurrences (a stale deadline is not). */
export function isOccurrence(settings: Recurring, at: Instant): boolean {
  const n = occurrenceIndexAt(settings, at);
  return n >= 0 && toMs(occurrenceAt(settings, n)) === toMs(at);
}

/** The occurrence after the one starting at `startAt`. */
export function nextOccurrence(settings: Recurring, startAt: Instant): Instant {
  return occurrenceAt(settings, occurrenceIndexAt(settings, startAt) + 1);
}

/** When an occurrence's review ends. */
export const reviewEndAt = (settings: Pick<ReviewSettings, "durationDays">, startAt: Instant): Instant =>
  addDays(startAt, settings.durationDays);

/**
 * The occurrence to schedule now: the first one before the start date; the current one while its
 * review window is still open (so a review missed while nothing ran still happens); else the next.
 */
export function occurrenceToSchedule(settings: ReviewSettings, now: Instant): Instant {
  const n = occurrenceIndexAt(settings, now);
  if (n < 0) return occurrenceAt(settings, 0);
  const current = occurrenceAt(settings, n);
  return isBefore(now, reviewEndAt(settings, current)) ? current : occurrenceAt(settings, n + 1);
}

/** Label of the period an occurrence covers: "2026-11". Occurrences are at least a month apart. */
export const periodLabel = (startAt: Instant): string => new Date(startAt).toISOString().slice(0, 7);
