import type { TableClient } from "@azure/data-tables";
import type { AuditDay } from "../../../domain/audit/chain";
import { copyRows } from "../audit-copies";
import { dayPartition } from "../audit-chain-writer";
import { insertAll } from "../audit-log";
import { statusOf, tolerating } from "../errors";
import { jsonColumns } from "../json-columns";
import type { Row } from "./rows";
import { appendTo, chainInPlace, targetOf } from "./audit-chain-links";
import { type Legacy, isLegacy } from "./unchained-audit-rows";

const MAX_ATTEMPTS = 12;
/** Marks an old row of a closed day with the open day its entry is being appended to. */
const MOVED_TO = "movedTo";

/** Chains one chunk of a day's unchained entries; returns how many it moved and where to. */
export async function moveChunk(
  client: TableClient,
  day: AuditDay,
  chunk: Legacy[],
): Promise<{ moved: number; targets: AuditDay[] }> {
  await insertAll(
    client,
    chunk.flatMap(({ entry }) =>
      copyRows(entry).map((row) => ({ ...row, ...jsonColumns(`audit entry ${entry.id}`, entry) })),
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
