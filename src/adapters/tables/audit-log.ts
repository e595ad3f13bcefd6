import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import type { AuditEntry } from "../../domain/model";
import type { AuditLog, AuditQuery } from "../../ports/stores";
import { auditMatches, DEFAULT_AUDIT_LIMIT } from "../shared/audit-query";
import { PartitionWriter } from "./batches";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { encodeKey, invertedMs, invertedTime, key } from "./keys";

/** The day directory: one row per day that has entries, so a time query visits only those days. */
const DAYS = "days";

function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * Audit table: each entry is written to its subject partition `s|<subject>`, its day `d|<day>` and,
 * when it concerns one user, `u|<user>`; row keys `<inverted time>|<id>` read newest first.
 */
export class TableAuditLog implements AuditLog {
  private readonly knownDays = new Set<string>();
  private readonly writer: PartitionWriter;

  constructor(private readonly client: TableClient) {
    this.writer = new PartitionWriter(client);
  }

  /**
   * Idempotent per entry id (upserts), one transaction per partition; rows for a partition that is
   * being written (the day, under load) join the next transaction there.
   */
  async append(entries: AuditEntry[]): Promise<void> {
    const rows: TransactionAction[1][] = [];
    for (const entry of entries) {
      const rowKey = `${invertedTime(entry.at)}|${encodeKey(entry.id)}`;
      const columns = jsonColumns(`audit entry ${entry.id}`, entry);
      const partitions = [key("s", entry.subject), key("d", dayOf(entry.at))];
      if (entry.targetUserId !== undefined) partitions.push(key("u", entry.targetUserId));
      for (const partitionKey of partitions) rows.push({ partitionKey, rowKey, ...columns });
    }
    const newDays = [...new Set(entries.map((e) => dayOf(e.at)))].filter((day) => !this.knownDays.has(day));
    // The day rows only make days visible to time queries: written with the entries, not after.
    await this.writer.upsertAll(
      [...rows, ...newDays.map((day) => ({ partitionKey: DAYS, rowKey: day }))],
      "Replace",
    );
    newDays.forEach((day) => this.knownDays.add(day));
  }

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
    if (query.subject !== undefined) return this.scan(key("s", query.subject), query, limit);
    if (query.targetUserId !== undefined) return this.scan(key("u", query.targetUserId), query, limit);
    const found: AuditEntry[] = [];
    for (const day of await this.days(query)) {
      found.push(...(await this.scan(key("d", day), query, limit - found.length)));
      if (found.length >= limit) break;
    }
    return found;
  }

  /** Days with entries inside the query's range, newest first. */
  private async days(query: AuditQuery): Promise<string[]> {
    let filter = odata`PartitionKey eq ${DAYS}`;
    if (query.from !== undefined) filter += odata` and RowKey ge ${dayOf(query.from)}`;
    if (query.to !== undefined) filter += odata` and RowKey le ${dayOf(query.to)}`;
    const days: string[] = [];
    for await (const row of this.client.listEntities({ queryOptions: { filter, select: ["RowKey"] } })) {
      days.push(row.rowKey!);
    }
    return days.reverse();
  }

  /** One partition, newest first, `from` inclusive and `to` exclusive as a row-key range. */
  private async scan(partitionKey: string, query: AuditQuery, limit: number): Promise<AuditEntry[]> {
    let filter = odata`PartitionKey eq ${partitionKey}`;
    if (query.to !== undefined) filter += odata` and RowKey ge ${invertedMs(Date.parse(query.to) - 1)}`;
    if (query.from !== undefined) filter += odata` and RowKey lt ${invertedMs(Date.parse(query.from) - 1)}`;
    const found: AuditEntry[] = [];
    const pages = this.client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(Math.max(limit, 10), 1000) });
    for await (const page of pages) {
      for (const row of page) {
        const entry = readJsonColumns<AuditEntry>(row);
        if (auditMatches(entry, query)) found.push(entry);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }
}
