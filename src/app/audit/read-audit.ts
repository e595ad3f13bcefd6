import type { AuditEntry } from "../../domain/model";
import type { AuditLog, AuditQuery } from "../../ports/stores";

/** What an audit read may filter on: the store's query plus the access package. */
export interface AuditFilter extends AuditQuery {
  packageId?: string;
}

export const DEFAULT_AUDIT_LIMIT = 100;
/** The most entries one package-filtered read looks at; narrow with from/to beyond that. */
export const MAX_AUDIT_SCAN = 20_000;

/**
 * Entries matching the filter, newest first, at most `limit`. The store has no package index, so a
 * package filter reads the newest entries matching the other filters in growing windows and keeps
 * those of the package, stopping at `MAX_AUDIT_SCAN` entries read.
 */
export async function readAudit(log: AuditLog, filter: AuditFilter): Promise<AuditEntry[]> {
  const { packageId, ...query } = filter;
  const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
  if (packageId === undefined) return log.query({ ...query, limit });
  let window = Math.min(Math.max(limit * 4, 200), MAX_AUDIT_SCAN);
  for (;;) {
    const read = await log.query({ ...query, limit: window });
    const matching = read.filter((entry) => entry.packageId === packageId);
    const exhausted = read.length < window || window >= MAX_AUDIT_SCAN;
    if (matching.length >= limit || exhausted) return matching.slice(0, limit);
    window = Math.min(window * 4, MAX_AUDIT_SCAN);
  }
}
