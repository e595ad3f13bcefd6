const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

const label = (year: number, monthIndex: number): string => {
  const d = new Date(Date.UTC(year, monthIndex, 1));
  return d.toISOString().slice(0, 7);
};

/**
 * A review period as written in chat ("October", "Oct 2026", "2026-10", "last month") as the label
 * reviews carry ("2026-10"). A month without a year is the latest one not after `now`. Undefined
 * when the words are not a month.
 */
export function resolveReviewPeriod(written: string, now: Date): string | undefined {
  const text = written.trim().toLowerCase();
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) return text;
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (text === "this month") return label(year, month);
  if (text === "last month" || text === "previous month") return label(year, month - 1);
  const named = /^([a-z]+)(?:\s+(\d{4}))?$/.exec(text);
  const index = named ? MONTHS.indexOf(named[1]!.slice(0, 3)) : -1;
  if (!named || index < 0) return undefined;
  if (named[2]) return label(Number(named[2]), index);
  return label(index <= month ? year : year - 1, index);
}
