import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import type { AuditDay } from "../../domain/audit/chain";
import type { AuditEntry, UserId } from "../../domain/model";
import type { AuditChainStore } from "../../ports/audit-chain";
import type { AuditLog, AuditQuery } from "../../ports/stores";
import { auditMatches, auditNewestFirst, DEFAULT_AUDIT_LIMIT } from "../shared/audit-query";
import { TableAuditChain } from "./audit-chain-store";
import { copyPlaces, copyRows, isPersonalSubject, subjectPrefix } from "./audit-copies";
import { DAYS, DayChainWriter, HEAD_ROW } from "./audit-chain-writer";
import { submitInBatches } from "./batches";
import { statusOf, tolerating } from "./errors";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { invertedMs, key } from "./keys";

function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

export interface TableAuditLogOptions {
  /**
   * Whose request or assignment a subject names (`request:<id>`, `assignment:<id>`): a query by such
   * a subject alone finds its copies in that person's partition.
   */
  personOf?: (subject: string) => Promise<UserId | undefined>;
}

/**
 * Audit table. The day partition `d|<day>` is the chain: entries inserted with their seq and hash,
 * and the day's head (docs/audit.md). Query copies (`audit-copies.ts`): by person in `u|<user>`, by
 * subject in `s|<subject>`, or, for a person's request or assignment, beside the person's copy in
 * their partition. Row keys `<inverted time>|<id>` read newest first.
 */
export class TableAuditLog implements AuditLog, AuditChainStore {
  private readonly chain: DayChainWriter;
  private readonly days: TableAuditChain;

  constructor(
    private readonly client: TableClient,
    private readonly options: TableAuditLogOptions = {},
  ) {
    this.chain = new DayChainWriter(client);
    this.days = new TableAuditChain(client);
  }

  /**
   * Idempotent per entry id: the query copies first (inserts; one already there is kept), then the
   * chain commit, which is what makes an entry part of the trail. An entry id already chained with
   * other content is refused (AuditConflictError) and the stored entry and its copies kept.
   */
  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const copies = entries.flatMap((entry) => {
      const columns = jsonColumns(`audit entry ${entry.id}`, entry);
      return copyRows(entry).map((row) => ({ ...row, ...columns }));
    });
    await insertAll(this.client, copies);
    await this.chain.append(entries);
  }

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
    if (query.subject !== undefined) return this.bySubject(query.subject, query, limit);
    if (query.targetUserId !== undefined) return this.scan(key("u", query.targetUserId), query, limit);
    return this.byDay(query, limit);
  }

  /**
   * A subject's copies: a person's request or assignment has those of its lifecycle beside the
   * person's copies; `s|<subject>` holds the others (entries that name nobody, or someone else, as a
   * notice that did not reach an approver) and, until the migration moves them, those written before.
   * Whose it is comes from the query or the request or assignment itself; when neither says, the
   * days are read.
   */
  private async bySubject(subject: string, query: AuditQuery, limit: number): Promise<AuditEntry[]> {
    if (!isPersonalSubject(subject)) return this.scan(key("s", subject), query, limit);
    const person = query.targetUserId ?? (await this.options.personOf?.(subject));
    if (person === undefined) return this.byDay(query, limit);
    const [shared, personal] = await Promise.all([
      this.scan(key("s", subject), query, limit),
      this.scan(key("u", person), query, limit, subjectPrefix(subject)),
    ]);
    const byId = new Map([...shared, ...personal].map((entry) => [entry.id, entry]));
    return [...byId.values()].sort(auditNewestFirst).slice(0, limit);
  }

  private async byDay(query: AuditQuery, limit: number): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    for (const day of await this.daysIn(query)) {
      found.push(...(await this.scan(key("d", day), query, limit - found.length)));
      if (found.length >= limit) break;
    }
    return found;
  }

  listDays = () => this.days.listDays();
  readChains = (fromDay?: AuditDay) => this.days.readChains(fromDay);
  readCopies = (from?: string) => this.days.readCopies(from);
  copiesOf: AuditChainStore["copiesOf"] = (entry) => copyPlaces(entry);
  anchors = () => this.days.anchors();
  addAnchor: AuditChainStore["addAnchor"] = (anchor) => this.days.addAnchor(anchor);

  async sealDay(day: AuditDay) {
    const head = await this.days.sealDay(day);
    this.chain.forget(day);
    return head;
  }

  async purgeDay(day: AuditDay): Promise<number> {
    const purged = await this.days.purgeDay(day);
    this.chain.forget(day);
    return purged;
  }

  /** Days with entries inside the query's range, newest first. */
  private async daysIn(query: AuditQuery): Promise<string[]> {
    let filter = odata`PartitionKey eq ${DAYS}`;
    if (query.from !== undefined) filter += odata` and RowKey ge ${dayOf(query.from)}`;
    if (query.to !== undefined) filter += odata` and RowKey le ${dayOf(query.to)}`;
    const days: string[] = [];
    for await (const row of this.client.listEntities({ queryOptions: { filter, select: ["RowKey"] } })) {
      days.push(row.rowKey!);
    }
    return days.reverse();
  }

  /**
   * The copies under `prefix` in one partition, newest first, `from` inclusive and `to` exclusive as
   * a row-key range. Entry rows start with digits: the range ends before `:`, so a person's scan
   * leaves out the subject copies beside it (and a day's its head).
   */
  private async scan(
    partitionKey: string,
    query: AuditQuery,
    limit: number,
    prefix = "",
  ): Promise<AuditEntry[]> {
    const from = query.from !== undefined ? invertedMs(Date.parse(query.from) - 1) : ":";
    let filter = odata`PartitionKey eq ${partitionKey} and RowKey lt ${prefix + from}`;
    if (query.to !== undefined)
      filter += odata` and RowKey ge ${prefix + invertedMs(Date.parse(query.to) - 1)}`;
    else if (prefix !== "") filter += odata` and RowKey ge ${prefix}`;
    const found: AuditEntry[] = [];
    const pages = this.client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(Math.max(limit, 10), 1000) });
    for await (const page of pages) {
      for (const row of page) {
        if (row.rowKey === HEAD_ROW) continue;
        const entry = readJsonColumns<AuditEntry>(row);
        if (auditMatches(entry, query)) found.push(entry);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }
}

/** Inserts rows, one transaction per partition; a row that exists (a replay, a retried request) stays as it is. */
export async function insertAll(client: TableClient, rows: TransactionAction[1][]): Promise<void> {
  try {
    await submitInBatches(
      client,
      rows.map((row): TransactionAction => ["create", row]),
    );
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
    // One existing row fails its whole transaction: insert one by one (rare: replays only).
    await Promise.all(rows.map((row) => tolerating([409], () => client.createEntity(row))));
  }
}
