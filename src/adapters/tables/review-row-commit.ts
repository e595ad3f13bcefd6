import type { TableClient, TransactionAction } from "@azure/data-tables";
import { MAX_BATCH_OPERATIONS } from "./batches";
import { statusOf, tolerating } from "./errors";

/** What one transaction may carry: 100 operations and 4 MiB; we keep well under the bytes. */
const MAX_BATCH_CHARS = 3_000_000;

type Entity = TransactionAction[1];

const sizeOf = (entity: Entity) =>
  Object.values(entity).reduce<number>((sum, v) => sum + (typeof v === "string" ? v.length * 1.3 : 16), 300);

/**
 * Writes `before`, then the header (the commit point), then deletes `after`: in one transaction
 * when it fits, else the rows first in transactions of their own and the header alone. A header
 * that loses its compare-and-swap leaves the rows written for it: they are deleted (`created`).
 */
export async function commitReviewWrite(
  client: TableClient,
  before: TransactionAction[],
  header: TransactionAction,
  after: string[],
  created: string[] = [],
): Promise<string> {
  const partitionKey = header[1].partitionKey!;
  const deletes = after.map((rowKey): TransactionAction => ["delete", { partitionKey, rowKey }]);
  const all = [...before, header, ...deletes];
  if (all.length <= MAX_BATCH_OPERATIONS && all.reduce((s, a) => s + sizeOf(a[1]), 0) <= MAX_BATCH_CHARS) {
    const answer = await client.submitTransaction(all);
    const index = before.length;
    return answer.subResponses[index]!.etag!;
  }
  await submitAll(client, before);
  let etag: string;
  try {
    etag =
      header[0] === "create"
        ? (await client.createEntity(header[1])).etag!
        : (
            await client.updateEntity(header[1], "Replace", {
              etag: (header[3] as { etag: string }).etag,
            })
          ).etag!;
  } catch (error) {
    if (statusOf(error) === 412 || statusOf(error) === 404) await deleteRows(client, partitionKey, created);
    throw error;
  }
  await deleteRows(client, partitionKey, after).catch(() => undefined); // left ones are orphans: dropped on a later read
  return etag;
}

async function submitAll(client: TableClient, actions: TransactionAction[]): Promise<void> {
  let batch: TransactionAction[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length > 0) await client.submitTransaction(batch);
    batch = [];
    chars = 0;
  };
  for (const action of actions) {
    const size = sizeOf(action[1]);
    if (batch.length >= MAX_BATCH_OPERATIONS || chars + size > MAX_BATCH_CHARS) await flush();
    batch.push(action);
    chars += size;
  }
  await flush();
}

export async function deleteRows(
  client: TableClient,
  partitionKey: string,
  rowKeys: string[],
): Promise<void> {
  const actions = rowKeys.map((rowKey): TransactionAction => ["delete", { partitionKey, rowKey }]);
  for (let start = 0; start < actions.length; start += MAX_BATCH_OPERATIONS) {
    const batch = actions.slice(start, start + MAX_BATCH_OPERATIONS);
    await tolerating([404], async () => {
      if (batch.length === 1) await client.deleteEntity(partitionKey, batch[0]![1].rowKey!);
      else await client.submitTransaction(batch);
    }).catch(() =>
      Promise.all(batch.map((a) => tolerating([404], () => client.deleteEntity(partitionKey, a[1].rowKey!)))),
    );
  }
}

/** Unreferenced chunks older than the header: left by a write that lost or crashed. */
export async function dropOrphans(
  client: TableClient,
  partitionKey: string,
  rows: Map<string, { timestamp?: string }>,
  referenced: Set<string>,
  headerAt: number,
): Promise<void> {
  const orphans = [...rows.entries()]
    .filter(([rowKey]) => rowKey.startsWith("c|") && !referenced.has(rowKey))
    .filter(([, row]) => Date.parse(String(row.timestamp ?? "")) < headerAt)
    .map(([rowKey]) => rowKey);
  if (orphans.length > 0) await deleteRows(client, partitionKey, orphans).catch(() => undefined);
}
