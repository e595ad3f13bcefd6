import type { AuditEntry } from "../../domain/model";
import type { AuditLog, AuditQuery } from "../../ports/stores";
import { storedCopy } from "../shared/stored-json";
import { DEFAULT_AUDIT_LIMIT, auditMatches, auditNewestFirst } from "../shared/audit-query";

/** The append-only audit trail in memory; appending an entry id twice keeps one copy. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries = new Map<string, AuditEntry>();

  async append(entries: AuditEntry[]): Promise<void> {
    for (const entry of entries) this.entries.set(entry.id, storedCopy(`audit entry ${entry.id}`, entry));
  }

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    return [...this.entries.values()]
      .filter((entry) => auditMatches(entry, query))
      .sort(auditNewestFirst)
      .slice(0, query.limit ?? DEFAULT_AUDIT_LIMIT)
      .map((entry) => storedCopy("audit entry", entry));
  }
}
