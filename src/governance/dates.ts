/**
 * Dates in the governance files: `2027-06-30` or an instant such as `2027-06-30T09:00:00Z`.
 * `Date.parse` rolls an impossible date over (2026-02-30 becomes 2 March) and accepts 24:00, so
 * every part is checked against the calendar before a date is used.
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether `value` is a date (or instant with a zone) that exists on the calendar and the clock. */
export function isRealInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  const within = (part: string | undefined, max: number) => part === undefined || Number(part) <= max;
  return within(m[4], 23) && within(m[5], 59) && within(m[6], 59) && within(m[7], 23) && within(m[8], 59);
}
