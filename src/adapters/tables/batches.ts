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

interface Pending {
  entity: TransactionAction[1];
  mode: "Merge" | "Replace";
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Group commit for idempotent upserts: at most one write per partition is in flight; upserts that
 * arrive for that partition meanwhile wait and go out together as the next transaction (100 at
 * most). Alone, an upsert is sent at once (on the next microtask), so nothing waits for a timer. Each caller's promise
 * settles when the transaction holding its row has been answered, so "written before" orders stay
 * true. A row queued twice is written once, with the later value: only for upserts whose repeat means
 * the same thing (index rows, due items, audit rows, bucket touches).
 */
export class PartitionWriter {
  private readonly queues = new Map<string, Map<string, Pending>>();
  private readonly busy = new Set<string>();
  private readonly lingerMs: number;

  constructor(
    private readonly client: TableClient,
    options: {
      /**
       * How long a row that finds its partition idle waits for others before it is sent (default 0:
       * the next microtask). Only for rows nobody is waiting on to answer a person, such as the
       * delivery log's, written after sends that finish a few milliseconds apart.
       */
      lingerMs?: number;
    } = {},
  ) {
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** `lingerMs`: this row's wait for others when it finds its partition idle (default: the writer's). */
  upsert(entity: TransactionAction[1], mode: "Merge" | "Replace", lingerMs = this.lingerMs): Promise<void> {
    const partition = entity.partitionKey!;
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(partition) ?? new Map<string, Pending>();
      this.queues.set(partition, queue);
      const earlier = queue.get(entity.rowKey!);
      // A Replace then a Merge of one row is not one Merge: keep the stronger mode.
      const merged = earlier?.mode === "Replace" ? "Replace" : mode;
      queue.delete(entity.rowKey!);
      queue.set(entity.rowKey!, {
        entity: mode === "Merge" && earlier ? { ...earlier.entity, ...entity } : entity,
        mode: merged,
        waiters: [...(earlier?.waiters ?? []), { resolve, reject }],
      });
      if (this.busy.has(partition)) return;
      // Start on the next microtask, so the rows one caller queues together leave together.
      this.busy.add(partition);
      if (lingerMs > 0) setTimeout(() => void this.drain(partition), lingerMs);
      else queueMicrotask(() => void this.drain(partition));
    });
  }

  private async drain(partition: string): Promise<void> {
    try {
      for (;;) {
        const queue = this.queues.get(partition);
        if (!queue || queue.size === 0) break;
        const rows = [...queue.values()].slice(0, MAX_BATCH_OPERATIONS);
        for (const row of rows) queue.delete(row.entity.rowKey!);
        try {
          if (rows.length === 1) await this.client.upsertEntity(rows[0]!.entity, rows[0]!.mode);
          else await this.client.submitTransaction(rows.map((r) => ["upsert", r.entity, r.mode]));
          rows.forEach((r) => r.waiters.forEach((w) => w.resolve()));
        } catch (error) {
          rows.forEach((r) => r.waiters.forEach((w) => w.reject(error)));
        }
      }
    } finally {
      this.queues.delete(partition);
      this.busy.delete(partition);
    }
  }

  /** Upserts many rows, in as few transactions as their partitions allow. */
  async upsertAll(entities: TransactionAction[1][], mode: "Merge" | "Replace"): Promise<void> {
    await Promise.all(entities.map((entity) => this.upsert(entity, mode)));
  }
}
