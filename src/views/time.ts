import type { Expiry, Instant } from "../domain/model";

const MS_HOUR = 3_600_000;
const MS_DAY = 86_400_000;

/**
 * A trusted instant as an Adaptive Card date macro: the client shows it in the viewer's locale and
 * time zone. Only instants we computed ever go through here, never user text.
 */
export function when(at: Instant | undefined): string {
  if (!at) return "";
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return "";
  const iso = `${date.toISOString().slice(0, 19)}Z`;
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

export function day(at: Instant | undefined): string {
  if (!at) return "";
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return "";
  return `{{DATE(${date.toISOString().slice(0, 19)}Z, SHORT)}}`;
}

/** "3 days left", "5 hours left", "overdue". */
export function timeLeft(now: Instant, until: Instant | undefined): string {
  if (!until) return "";
  const ms = new Date(until).getTime() - new Date(now).getTime();
  if (ms <= 0) return "overdue";
  // Rounded: a 14-day window rendered a moment after it opened still reads "14 days left".
  if (ms >= 2 * MS_DAY) return `${Math.round(ms / MS_DAY)} days left`;
  const hours = Math.max(1, Math.floor(ms / MS_HOUR));
  return `${hours} hour${hours === 1 ? "" : "s"} left`;
}

/** How long a policy grants access, in words. */
export function expiryText(expiry: Expiry): string {
  switch (expiry.kind) {
    case "never":
      return "No end date";
    case "onDate":
      return `Until ${day(expiry.date)}`;
    case "afterDays":
      return `${expiry.days} day${expiry.days === 1 ? "" : "s"}`;
    case "afterHours":
      return `${expiry.hours} hour${expiry.hours === 1 ? "" : "s"}`;
  }
}

/** The requested period of a request: "From T until T", "Until T", or the policy's default. */
export function periodText(schedule: { startAt?: Instant; endAt?: Instant }, expiry: Expiry): string {
  const { startAt, endAt } = schedule;
  if (startAt && endAt) return `From ${day(startAt)} until ${day(endAt)}`;
  if (endAt) return `Until ${day(endAt)}`;
  if (startAt) return `From ${day(startAt)}, for ${expiryText(expiry).toLowerCase()}`;
  return expiryText(expiry);
}
