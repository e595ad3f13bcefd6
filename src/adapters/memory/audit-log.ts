import {
  type AuditDay,
  type ChainHead,
  type ChainedEntry,
  type DayAnchor,
  GENESIS,
  chainEntries,
  dayOf,
  nextDay,
  sameEntry,
} from "../../domain/audit/chain";
import type { IndexCopy, StoredDay } from "../../domain/audit/verify";
import type { AuditEntry } from "../../domain/model";
import { AuditConflictError, type AuditChainStore } from "../../ports/audit-chain";
import type { AuditLog, AuditQuery } from "../../ports/stores";
import { storedCopy } from "../shared/stored-json";
import { DEFAULT_AUDIT_LIMIT, auditMatches, auditNewestFirst } from "../shared/audit-query";

interface Day {
  head: ChainHead;
  rows: Map<string, ChainedEntry>;
}

/**
 * The audit trail in memory, with the chain of the table store: entries chained per day, a closed
 * day redirects late entries to the next open one, an id appended again with the same content is a
 * no-op and with other content an AuditConflictError.
 */
export class MemoryAuditLog implements AuditLog, AuditChainStore {
  private readonly days = new Map<AuditDay, Day>();
  private readonly anchorRows = new Map<AuditDay, DayAnchor>();
  private readonly copies = new Map<string, Map<string, AuditEntry>>();

  async append(entries: AuditEntry[]): Promise<void> {
    for (const entry of entries) {
      const copy = storedCopy(`audit entry ${entry.id}`, entry);
      for (const where of this.copiesOf(copy)) {
        const partition = this.copies.get(where) ?? this.copies.set(where, new Map()).get(where)!;
        if (!partition.has(copy.id)) partition.set(copy.id, copy);
      }
      this.chain(dayOf(copy.at), copy);
    }
  }

  private chain(day: AuditDay, entry: AuditEntry): void {
    const stored = this.days.get(day)?.rows.get(entry.id);
    if (stored) {
      if (!sameEntry(stored.entry, entry)) throw new AuditConflictError(entry.id);
      return;
    }
    const through = this.sealedThrough();
    const closed = through !== undefined && day <= through;
    const current = this.days.get(day);
    if (closed || current?.head.sealed)
      return this.chain(closed && through! >= day ? nextDay(through!) : nextDay(day), entry);
    const { links, head } = chainEntries(current?.head, day, [entry]);
    const target = current ?? { head: { day, seq: 0, hash: GENESIS, sealed: false }, rows: new Map() };
    target.rows.set(entry.id, links[0]!);
    target.head = { day, ...head, sealed: false };
    this.days.set(day, target);
  }

  private sealedThrough(): AuditDay | undefined {
    return [...this.anchorRows.keys()].sort().at(-1);
  }

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    const all = [...this.days.values()].flatMap((d) => [...d.rows.values()].map((r) => r.entry));
    return all
      .filter((entry) => auditMatches(entry, query))
      .sort(auditNewestFirst)
      .slice(0, query.limit ?? DEFAULT_AUDIT_LIMIT)
      .map((entry) => storedCopy("audit entry", entry));
  }

  async listDays(): Promise<AuditDay[]> {
    return [...this.days.entries()]
      .filter(([, d]) => d.rows.size > 0)
      .map(([day]) => day)
      .sort();
  }

  async readChains(fromDay?: AuditDay): Promise<StoredDay[]> {
    const out = new Map<AuditDay, StoredDay>();
    for (const [day, d] of this.days)
      if (fromDay === undefined || day >= fromDay)
        out.set(day, {
          day,
          head: { ...d.head },
          rows: [...d.rows.values()].map((r) => storedCopy("chain row", r)),
        });
    for (const [day, anchor] of this.anchorRows)
      if (fromDay === undefined || day >= fromDay)
        (out.get(day) ?? out.set(day, { day, rows: [] }).get(day)!).anchor = { ...anchor };
    return [...out.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  }

  async readCopies(from?: string): Promise<IndexCopy[]> {
    return [...this.copies.entries()].flatMap(([where, rows]) =>
      [...rows.values()]
        .filter((entry) => from === undefined || Date.parse(entry.at) >= Date.parse(from))
        .map((entry) => ({ where, entry: storedCopy("audit entry", entry) })),
    );
  }

  copiesOf(entry: Pick<AuditEntry, "subject" | "targetUserId">): string[] {
    return [`s|${entry.subject}`, ...(entry.targetUserId !== undefined ? [`u|${entry.targetUserId}`] : [])];
  }

  async anchors(): Promise<DayAnchor[]> {
    return [...this.anchorRows.values()].sort((a, b) => (a.day < b.day ? -1 : 1)).map((a) => ({ ...a }));
  }

  async sealDay(day: AuditDay): Promise<ChainHead> {
    const d = this.days.get(day) ?? { head: { day, seq: 0, hash: GENESIS, sealed: false }, rows: new Map() };
    d.head = { ...d.head, sealed: true };
    this.days.set(day, d);
    return { ...d.head };
  }

  async addAnchor(anchor: DayAnchor): Promise<void> {
    const stored = this.anchorRows.get(anchor.day);
    if (stored && stored.hash !== anchor.hash) throw new AuditConflictError(`anchor:${anchor.day}`);
    if (!stored) this.anchorRows.set(anchor.day, { ...anchor });
  }

  async purgeDay(day: AuditDay): Promise<number> {
    const anchor = this.anchorRows.get(day);
    if (!anchor) throw new Error(`audit day ${day} has no anchor: anchor it before purging`);
    anchor.purged = true;
    const rows = [...(this.days.get(day)?.rows.values() ?? [])];
    for (const row of rows)
      for (const where of this.copiesOf(row.entry)) this.copies.get(where)?.delete(row.entry.id);
    this.days.delete(day);
    return rows.length;
  }
}
