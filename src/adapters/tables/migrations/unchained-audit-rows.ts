import { odata, type TableClient } from "@azure/data-tables";
import type { AuditDay } from "../../../domain/audit/chain";
import type { AuditEntry } from "../../../domain/model";
import { HEAD_ROW, entryRowKey } from "../audit-chain-writer";
import { statusOf } from "../errors";
import { readJsonColumns } from "../json-columns";
import { decodeKey } from "../keys";
import type { Row } from "./rows";
import { sizeChunks } from "../../shared/size-chunks";

/** A transaction holds 100 operations, one of them the head. */
const CHUNK = 99;
/** As the audit writer: a transaction's body stays well under its 4 MiB. */
const MAX_CHUNK_CHARS = 1_500_000;

/** A row of the unchained layout: an entry row without its link (`chainSeq`, `prevHash`, `hash`). */
export const isLegacy = (row: Row): boolean => row.rowKey !== HEAD_ROW && row.chainSeq === undefined;

export interface Legacy {
  row: Row;
  entry: AuditEntry;
}

/**
 * The unchained rows of each day partition, one day at a time (oldest day first, entries oldest
 * first): the query walks partitions in key order, so only one day is held at once.
 */
export async function* legacyDays(
  client: TableClient,
): AsyncGenerator<{ day: AuditDay; legacy: Legacy[]; unreadable: Row[] }> {
  let current: { day: AuditDay; legacy: Legacy[]; unreadable: Row[] } | undefined;
  const done = () => {
    const day = current;
    current = undefined;
    day?.legacy.sort((a, b) =>
      a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : a.entry.id < b.entry.id ? -1 : 1,
    );
    return day && (day.legacy.length > 0 || day.unreadable.length > 0) ? [day] : [];
  };
  const filter = odata`PartitionKey ge ${"d|"} and PartitionKey lt ${"d}"}`;
  let pages;
  try {
    pages = client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: 1000 });
    for await (const page of pages) {
      for (const row of page as Row[]) {
        const day = decodeKey(String(row.partitionKey).slice(2));
        if (current?.day !== day) {
          yield* done();
          current = { day, legacy: [], unreadable: [] };
        }
        if (!isLegacy(row)) continue;
        let entry: AuditEntry | undefined;
        try {
          entry = readJsonColumns<AuditEntry>(row);
        } catch {
          entry = undefined;
        }
        if (entry && entryRowKey(entry) === row.rowKey) current.legacy.push({ row, entry });
        else current.unreadable.push(row);
      }
    }
  } catch (error) {
    if (statusOf(error) === 404) return; // no Audit table: nothing was ever written
    throw error;
  }
  yield* done();
}

/** Chunks a transaction can hold: ≤ 99 entries (the head is the 100th) and well under its 4 MiB. */
export function chunksOf(legacy: Legacy[]): Legacy[][] {
  return sizeChunks(
    legacy,
    { maxCount: CHUNK, maxChars: MAX_CHUNK_CHARS },
    (l) => JSON.stringify(l.entry).length,
  );
}
