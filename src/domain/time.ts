import type { Instant } from "./model";

/** Pure date arithmetic on ISO instants; the domain never reads the clock. */
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

export const toMs = (at: Instant): number => new Date(at).getTime();
export const fromMs = (ms: number): Instant => new Date(ms).toISOString();

export const addMs = (at: Instant, ms: number): Instant => fromMs(toMs(at) + ms);
export const addMinutes = (at: Instant, minutes: number): Instant => addMs(at, minutes * MS_PER_MINUTE);
export const addHours = (at: Instant, hours: number): Instant => addMs(at, hours * MS_PER_HOUR);
export const addDays = (at: Instant, days: number): Instant => addMs(at, days * MS_PER_DAY);

/** The instant halfway between two instants. */
export const midpoint = (from: Instant, to: Instant): Instant => fromMs((toMs(from) + toMs(to)) / 2);

export const isBefore = (a: Instant, b: Instant): boolean => toMs(a) < toMs(b);
export const isAfter = (a: Instant, b: Instant): boolean => toMs(a) > toMs(b);
export const isValidInstant = (at: unknown): at is Instant =>
  typeof at === "string" && at.length > 0 && !Number.isNaN(new Date(at).getTime());

export const earliest = (a: Instant | undefined, b: Instant | undefined): Instant | undefined => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return isBefore(a, b) ? a : b;
};
