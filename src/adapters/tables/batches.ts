import type { TableClient, TransactionAction } from "@azure/data-tables";

/** A transaction holds at most 100 operations, all in one partition. */
export const MAX_BATCH_OPERATIONS = 100;

/**
 * Submits actions as transactions grouped by partition, 100 at a time, partitions in parallel. A row
 * may appear once per transaction: the last action for a row wins.
 */
export async function submitInBatches(client: TableClient, actions: TransactionAction[]): Promise<void> {
  const byPartition = new Map<string, Map<string, TransactionAction>>();
  for (const action of actions) {
    const { partitionKey, rowKey } = action[1];
    const rows = byPartition.get(partitionKey!) ?? new Map<string, TransactionAction>();
    rows.delete(rowKey!);
    rows.set(rowKey!, action);
    byPartition.set(partitionKey!, rows);
  }
  await Promise.all(
    [...byPartition.values()].map(async (rows) => {
      const list = [...rows.values()];
      for (let start = 0; start < list.length; start += MAX_BATCH_OPERATIONS) {
        const batch = list.slice(start, start + MAX_BATCH_OPERATIONS);
        if (batch.length === 1) await single(client, batch[0]!);
        else await client.submitTransaction(batch);
      }
    }),
  );
}

/** One action alone costs the same single request without the batch envelope. */
async function single(client: TableClient, action: TransactionAction): Promise<void> {
  const [kind, entity] = action;
  if (kind === "delete") await client.deleteEntity(entity.partitionKey!, entity.rowKey!);
  else if (kind === "create") await client.createEntity(entity);
  else if (kind === "upsert") await client.upsertEntity(entity, action[2] ?? "Merge");
  else await client.updateEntity(entity, action[2] ?? "Merge");
}
