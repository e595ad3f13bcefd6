import type { Instant } from "../../domain/model";
import type { DueItem, DueWorkIndex } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { nextEtag } from "./versioned-map";

interface DueRow {
  item: DueItem;
  etag: string;
  owner?: string;
  claimUntil?: number;
}

/** The key that makes scheduling idempotent, in the order the sweeper reads. */
function dueKey(item: DueItem): string {
  const at = new Date(item.dueAt).toISOString();
  return `${at}|${item.kind}|${item.subjectId}|${item.discriminator}`;
}

/** The due-work index in memory, with the same claim semantics as the table (ETag compare-and-swap). */
export class MemoryDueWorkIndex implements DueWorkIndex {
  private readonly rows = new Map<string, DueRow>();

  async schedule(items: DueItem[]): Promise<void> {
    for (const item of items) {
      const key = dueKey(item);
      // Scheduling again keeps a claim but changes the ETag, like a merge upsert of the table row.
      this.rows.set(key, { ...this.rows.get(key), item: { ...item }, etag: nextEtag() });
    }
  }

  async listDue(until: Instant, limit: number): Promise<Versioned<DueItem>[]> {
    const untilMs = Date.parse(until);
    return [...this.rows.entries()]
      .filter(([, row]) => Date.parse(row.item.dueAt) <= untilMs)
      .filter(([, row]) => row.claimUntil === undefined || row.claimUntil <= untilMs)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([, row]) => ({ value: { ...row.item }, etag: row.etag }));
  }

  async claim(
    item: Versioned<DueItem>,
    owner: string,
    leaseUntil: Instant,
  ): Promise<Versioned<DueItem> | undefined> {
    const row = this.rows.get(dueKey(item.value));
    if (!row || row.etag !== item.etag) return undefined;
    row.owner = owner;
    row.claimUntil = Date.parse(leaseUntil);
    row.etag = nextEtag();
    return { value: { ...row.item }, etag: row.etag };
  }

  async remove(items: DueItem[]): Promise<void> {
    for (const item of items) this.rows.delete(dueKey(item));
  }

  /** Removes the item unless it changed since `item` was read (then its new holder finishes it). */
  async complete(item: Versioned<DueItem>): Promise<void> {
    const key = dueKey(item.value);
    if (this.rows.get(key)?.etag === item.etag) this.rows.delete(key);
  }
}
