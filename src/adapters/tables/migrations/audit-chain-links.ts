import type { TableClient, TransactionAction } from "@azure/data-tables";
import { type AuditDay, chainEntries, nextDay } from "../../../domain/audit/chain";
import { ANCHORS, DAYS, HEAD_ROW, LATEST_ANCHOR, chainRow, dayPartition } from "../audit-chain-writer";
import { tolerating } from "../errors";
import type { Legacy } from "./unchained-audit-rows";

// Linking old entries into a day's chain exactly as the audit writer links new ones: after the
// day's head, the head swapped at its ETag in the same transaction.

/** A day's head row as read: the chain's last link, at its ETag (none for a day not started). */
export interface Head {
  seq: number;
  hash: string;
  sealed: boolean;
  etag?: string;
}

/** The day an entry of `day` is chained into: itself while open, else the first open day after the newest anchor. */
export async function targetOf(client: TableClient, day: AuditDay): Promise<{ day: AuditDay; head?: Head }> {
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
export async function chainInPlace(
  client: TableClient,
  day: AuditDay,
  head: Head | undefined,
  legacy: Legacy[],
) {
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
export async function appendTo(client: TableClient, day: AuditDay, head: Head | undefined, legacy: Legacy[]) {
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
