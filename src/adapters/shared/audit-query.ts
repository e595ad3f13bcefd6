import type { AuditEntry } from "../../domain/model";
import type { AuditQuery } from "../../ports/stores";

export const DEFAULT_AUDIT_LIMIT = 100;

/** Newest first by time, ties by id: the order of an inverted-time row key. */
export function auditNewestFirst(a: AuditEntry, b: AuditEntry): number {
  const at = Date.parse(b.at) - Date.parse(a.at);
  if (at !== 0) return at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether an entry matches the query: `from` is inclusive, `to` exclusive. */
export function auditMatches(entry: AuditEntry, query: AuditQuery): boolean {
  const at = Date.parse(entry.at);
  if (query.subject !== undefined && entry.subject !== query.subject) return false;
  if (query.targetUserId !== undefined && entry.targetUserId !== query.targetUserId) return false;
  if (query.from !== undefined && at < Date.parse(query.from)) return false;
  if (query.to !== undefined && at >= Date.parse(query.to)) return false;
  return true;
}
