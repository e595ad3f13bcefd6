import type { AuditEntry } from "../../domain/model";
import type { AuditLog } from "../../ports/stores";

/**
 * Refusals are audited, but a flood of forged clicks must not become a flood of storage writes:
 * per audit log (one per process) and person, at most REFUSALS_PER_WINDOW refusal entries per
 * window; the next one writes a single "further refusals not audited" entry, the rest are counted
 * in the log only. Each entry is also kept small (fields cut, details capped).
 */
export const REFUSALS_PER_WINDOW = 20;
export const REFUSAL_WINDOW_MS = 10 * 60_000;
const MAX_REASON_CHARS = 500;
const MAX_FIELD_CHARS = 200;
const MAX_DETAILS = 10;
const MAX_TRACKED_ACTORS = 10_000;

interface Window {
  start: number;
  count: number;
}

const windows = new WeakMap<AuditLog, Map<string, Window>>();

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}...`);

/** The entry as written: reason, subject and details cut to size. */
export function boundedRefusal(entry: AuditEntry): AuditEntry {
  const bounded: AuditEntry = {
    ...entry,
    subject: cut(entry.subject, MAX_FIELD_CHARS),
    source: cut(entry.source, MAX_FIELD_CHARS),
  };
  if (entry.reason !== undefined) bounded.reason = cut(entry.reason, MAX_REASON_CHARS);
  if (entry.details)
    bounded.details = Object.fromEntries(
      Object.entries(entry.details)
        .slice(0, MAX_DETAILS)
        .map(([k, v]) => [cut(k, 60), cut(v, MAX_FIELD_CHARS)]),
    );
  return bounded;
}

/**
 * Appends a refusal entry unless its actor is over the limit. Returns whether it was written (a
 * suppression notice counts as written).
 */
export async function appendRefusal(audit: AuditLog, entry: AuditEntry, nowMs: number): Promise<boolean> {
  const perActor = windows.get(audit) ?? new Map<string, Window>();
  windows.set(audit, perActor);
  let window = perActor.get(entry.actor);
  if (!window || nowMs - window.start >= REFUSAL_WINDOW_MS) {
    if (perActor.size >= MAX_TRACKED_ACTORS) perActor.clear();
    window = { start: nowMs, count: 0 };
    perActor.set(entry.actor, window);
  }
  window.count += 1;
  if (window.count > REFUSALS_PER_WINDOW + 1) return false;
  if (window.count === REFUSALS_PER_WINDOW + 1) {
    const until = new Date(window.start + REFUSAL_WINDOW_MS).toISOString();
    await audit.append([
      boundedRefusal({
        ...entry,
        reason: `more than ${REFUSALS_PER_WINDOW} refusals in ${REFUSAL_WINDOW_MS / 60_000} minutes: further refusals of this person are not audited until ${until}`,
        details: { ...(entry.details ?? {}), suppressedUntil: until },
      }),
    ]);
    return true;
  }
  await audit.append([boundedRefusal(entry)]);
  return true;
}
