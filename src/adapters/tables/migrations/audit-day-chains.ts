import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import { type AuditDay, chainEntries, nextDay } from "../../../domain/audit/chain";
import type { AuditEntry } from "../../../domain/model";
import { copyPartitions } from "../audit-chain-store";
import {
  ANCHORS,
  DAYS,
  HEAD_ROW,
  LATEST_ANCHOR,
  chainRow,
  dayPartition,
  entryRowKey,
} from "../audit-chain-writer";
import { insertAll } from "../audit-log";
import { statusOf, tolerating } from "../errors";
import { jsonColumns, readJsonColumns } from "../json-columns";
import { decodeKey } from "../keys";
import type { Row } from "./rows";
import type { MigrationStep } from "./step";

/**
 * Audit rows of the unchained layout (before the day chains): each entry in its day partition
 * `d|<day>` with the same row key as today but no `chainSeq`, `prevHash`, `hash`, and no head row.
 * Today's code reads them in queries but `verify` reports them, and the daily close seals and
 * anchors their day as if it were empty.
 *
 * The step chains them, oldest first, after the day's head:
 * - a day still open (not sealed, not anchored): in place. One transaction per ≤ 99 entries replaces
 *   each old row at the ETag read with the same row plus its link, and the head at its ETag. A row or
 *   head changed meanwhile (a live append, another run) fails the whole transaction: read again, retry.
 * - a day already closed: its anchor vouches for the chain as it was, so the entries go to the next
 *   open day after the newest anchor, where the audit writer sends any late entry. First the old
 *   rows are marked `movedTo: <day>` (at their ETag), then one transaction appends them there, then
 *   the old rows are deleted. A rerun finds a marked row, looks in the named day, and only deletes
 *   it if the entry is there: never appended twice.
 * Before chaining, the entries' query copies (`s|`, `u|`) are inserted where missing (the old writer
 * wrote them in separate transactions). docs/storage.md, "Migration".
 */

/** A transaction holds 100 operations, one of them the head. */
const CHUNK = 99;
/** As the audit writer: a transaction's body stays well under its 4 MiB. */
const MAX_CHUNK_CHARS = 1_500_000;
const MAX_ATTEMPTS = 12;
const MOVED_TO = "movedTo";

const isLegacy = (row: Row): boolean => row.rowKey !== HEAD_ROW && row.chainSeq === undefined;

interface Head {
  seq: number;
  hash: string;
  sealed: boolean;
  etag?: string;
}

interface Legacy {
  row: Row;
  entry: AuditEntry;
}

export const auditDayChains: MigrationStep = {
  name: "audit-chain",
  summary: "chains audit entries written before the day chains into their day (or the next open day)",
  async pending(ctx) {
    const client = ctx.table("audit");
    const detail: string[] = [];
    let rows = 0;
    for await (const { day, legacy, unreadable } of legacyDays(client)) {
      detail.push(...unreadable.map((r) => unreadableLine(r)));
      if (legacy.length === 0) continue;
      const target = await targetOf(client, day);
      rows += legacy.length;
      detail.push(
        `Audit d|${day}: ${legacy.length} unchained entr${legacy.length === 1 ? "y" : "ies"}, ` +
          (target.day === day ? "chained in place" : `day closed: appended to ${target.day}`),
      );
    }
    return { rows, detail };
  },
  async run(ctx) {
    const client = ctx.table("audit");
    let moved = 0;
    let left = 0;
    const detail: string[] = [];
    for await (const { day, legacy, unreadable } of legacyDays(client)) {
      left += unreadable.length;
      detail.push(...unreadable.map((r) => unreadableLine(r)));
      if (legacy.length === 0) continue;
      let inDay = 0;
      const targets = new Set<AuditDay>();
      for (const chunk of chunksOf(legacy)) {
        const done = await moveChunk(client, day, chunk);
        inDay += done.moved;
        done.targets.forEach((t) => targets.add(t));
      }
      moved += inDay;
      detail.push(
        `Audit d|${day}: ${inDay} chained ${[...targets].map((t) => (t === day ? "in place" : `into ${t}`)).join(", ")}`,
      );
    }
    return { moved, left, detail };
  },
};

const unreadableLine = (row: Row) =>
  `Audit ${String(row.partitionKey)} ${String(row.rowKey)}: holds no readable entry, left as it is (verify names it)`;

/**
 * The unchained rows of each day partition, one day at a time (oldest day first, entries oldest
 * first): the query walks partitions in key order, so only one day is held at once.
 */
async function* legacyDays(
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
function chunksOf(legacy: Legacy[]): Legacy[][] {
  const chunks: Legacy[][] = [];
  let chunk: Legacy[] = [];
  let chars = 0;
  for (const l of legacy) {
    const size = JSON.stringify(l.entry).length;
    if (chunk.length > 0 && (chunk.length >= CHUNK || chars + size > MAX_CHUNK_CHARS)) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
    }
    chunk.push(l);
    chars += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** The day an entry of `day` is chained into: itself while open, else the first open day after the newest anchor. */
async function targetOf(client: TableClient, day: AuditDay): Promise<{ day: AuditDay; head?: Head }> {
  const latest = await tolerating([404], () => client.getEntity<{ day: string }>(ANCHORS, LATEST_ANCHOR));
  let candidate = latest?.day !== undefined && day <= latest.day ? nextDay(latest.day) : day;
  for (;;) {
    const row = await tolerating([404], () =>
      client.getEntity<{ seq: number; hash: string; sealed?: boolean }>(dayPartition(candidate), HEAD_ROW),
    );
    if (row?.sealed !== true)
      return {
        day: candidate,
        ...(row
          ? { head: { seq: Number(row.seq), hash: String(row.hash), sealed: false, etag: row.etag } }
          : {}),
      };
    candidate = nextDay(candidate);
  }
}

/** Chains one chunk of a day's unchained entries; returns how many it moved and where to. */
async function moveChunk(
  client: TableClient,
  day: AuditDay,
  chunk: Legacy[],
): Promise<{ moved: number; targets: AuditDay[] }> {
  await insertAll(
    client,
    chunk.flatMap(({ entry }) =>
      copyPartitions(entry).map((partitionKey) => ({
        partitionKey,
        rowKey: entryRowKey(entry),
        ...jsonColumns(`audit entry ${entry.id}`, entry),
      })),
    ),
  );
  let pending = chunk;
  let moved = 0;
  const targets: AuditDay[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS)
      throw new Error(`audit day ${day}: ${attempt} attempts to chain its entries lost a race`);
    // A marked row was being appended to the day it names: if it is there, only the old row is left to delete.
    pending = await finishMarked(client, pending);
    if (pending.length === 0) break;
    const target = await targetOf(client, day);
    try {
      if (target.day === day) await chainInPlace(client, day, target.head, pending);
      else {
        pending = await mark(client, pending, target.day);
        await appendTo(client, target.day, target.head, pending);
        await deleteOld(client, pending);
      }
      moved += pending.length;
      targets.push(target.day);
      pending = [];
    } catch (error) {
      const status = statusOf(error);
      if (status !== 409 && status !== 412 && status !== 404) throw error;
      // Someone else wrote the head or these rows (a live append, a seal, another run): read them again.
      pending = await reread(client, pending);
    }
  }
  return { moved, targets };
}

function headRow(day: AuditDay, next: { seq: number; hash: string }) {
  return { partitionKey: dayPartition(day), rowKey: HEAD_ROW, seq: next.seq, hash: next.hash, sealed: false };
}

function headAction(
  day: AuditDay,
  head: Head | undefined,
  next: { seq: number; hash: string },
): TransactionAction {
  return head?.etag
    ? ["update", headRow(day, next), "Replace", { etag: head.etag }]
    : ["create", headRow(day, next)];
}

/** The old rows replaced by the same entries with their links, and the head, in one transaction. */
async function chainInPlace(client: TableClient, day: AuditDay, head: Head | undefined, legacy: Legacy[]) {
  if (!head) await client.upsertEntity({ partitionKey: DAYS, rowKey: day }, "Replace");
  const { links, head: next } = chainEntries(
    head,
    day,
    legacy.map((l) => l.entry),
  );
  const actions: TransactionAction[] = links.map((link, i) => [
    "update",
    chainRow(link),
    "Replace",
    { etag: legacy[i]!.row.etag },
  ]);
  actions.push(headAction(day, head, next));
  await client.submitTransaction(actions);
}

/** The entries appended to another day's chain (inserts plus its head), as the audit writer redirects late entries. */
async function appendTo(client: TableClient, day: AuditDay, head: Head | undefined, legacy: Legacy[]) {
  if (!head) await client.upsertEntity({ partitionKey: DAYS, rowKey: day }, "Replace");
  const { links, head: next } = chainEntries(
    head,
    day,
    legacy.map((l) => l.entry),
  );
  const actions: TransactionAction[] = links.map((link) => ["create", chainRow(link)]);
  actions.push(headAction(day, head, next));
  await client.submitTransaction(actions);
}

/** Marks the old rows with the day they are about to be appended to (at their ETag; new ETags kept). */
async function mark(client: TableClient, legacy: Legacy[], target: AuditDay): Promise<Legacy[]> {
  return Promise.all(
    legacy.map(async (l) => {
      if (l.row[MOVED_TO] === target) return l;
      const { etag } = await client.updateEntity(
        { partitionKey: l.row.partitionKey!, rowKey: l.row.rowKey!, [MOVED_TO]: target },
        "Merge",
        { etag: l.row.etag },
      );
      return { ...l, row: { ...l.row, [MOVED_TO]: target, etag: etag! } };
    }),
  );
}

/** Old rows deleted at their ETag: one changed meanwhile stays for a later run to settle. */
async function deleteOld(client: TableClient, legacy: Legacy[]): Promise<void> {
  await Promise.all(
    legacy.map((l) =>
      tolerating([404, 412], () =>
        client.deleteEntity(l.row.partitionKey!, l.row.rowKey!, { etag: l.row.etag }),
      ),
    ),
  );
}

/** Rows marked by an earlier attempt whose entry is in the named day: their old row deleted, and done. */
async function finishMarked(client: TableClient, legacy: Legacy[]): Promise<Legacy[]> {
  const marked = legacy.filter((l) => typeof l.row[MOVED_TO] === "string");
  if (marked.length === 0) return legacy;
  const there = await Promise.all(
    marked.map((l) =>
      tolerating([404], () => client.getEntity(dayPartition(String(l.row[MOVED_TO])), l.row.rowKey!)),
    ),
  );
  const finished = marked.filter((_, i) => there[i] !== undefined);
  await deleteOld(client, finished);
  return legacy.filter((l) => !finished.includes(l));
}

/** The old rows as stored now; one gone or chained meanwhile (another run) is done. */
async function reread(client: TableClient, legacy: Legacy[]): Promise<Legacy[]> {
  const rows = await Promise.all(
    legacy.map((l) =>
      tolerating([404], () => client.getEntity<Record<string, unknown>>(l.row.partitionKey!, l.row.rowKey!)),
    ),
  );
  return legacy.flatMap((l, i) => {
    const row = rows[i];
    return row && isLegacy(row as Row) ? [{ ...l, row: row as Row }] : [];
  });
}
