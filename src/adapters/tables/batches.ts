import type { TableClient, TransactionAction } from "@azure/data-tables";
import { statusOf, tolerating } from "./errors";

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

/** A queued write: an upsert in a mode, or a delete (of a row that may be gone already). */
type Write = { kind: "upsert"; mode: "Merge" | "Replace" } | { kind: "delete" };

interface Pending {
  entity: TransactionAction[1];
  write: Write;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Group commit for idempotent writes (upserts, and deletes for which a row already gone is done): at
 * most one write per partition is in flight; writes that arrive for that partition meanwhile wait
 * and go out together as the next transaction (100 at most). Alone, a write is sent at once (on the
 * next microtask), so nothing waits for a timer. Each caller's promise settles when the transaction
 * holding its row has been answered, so "written before" orders stay true. A row queued twice is
 * written once, as the two in order would leave it: only for writes whose repeat means the same
 * thing (index rows, due items, audit rows, bucket touches).
 */
export class PartitionWriter {
  private readonly queues = new Map<string, Map<string, Pending>>();
  private readonly busy = new Set<string>();
  /** Partitions whose first row is still waiting for others, and the timer that sends them. */
  private readonly lingering = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lingerMs: number;

  constructor(
    private readonly client: TableClient,
    options: {
      /**
       * How long a row that finds its partition idle waits for others before it is sent (default 0:
       * the next microtask). Only for rows nobody is waiting on to answer a person, such as the
       * delivery log's, written after sends that finish a few milliseconds apart. A row that does
       * not linger, arriving meanwhile, sends the waiting rows with it at once.
       */
      lingerMs?: number;
    } = {},
  ) {
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** `lingerMs`: this row's wait for others when it finds its partition idle (default: the writer's). */
  upsert(entity: TransactionAction[1], mode: "Merge" | "Replace", lingerMs = this.lingerMs): Promise<void> {
    return this.queue(entity, { kind: "upsert", mode }, lingerMs);
  }

  /** Deletes a row; one that is not there (never written, or deleted already) counts as deleted. */
  delete(key: { partitionKey: string; rowKey: string }, lingerMs = this.lingerMs): Promise<void> {
    return this.queue({ partitionKey: key.partitionKey, rowKey: key.rowKey }, { kind: "delete" }, lingerMs);
  }

  private queue(entity: TransactionAction[1], write: Write, lingerMs: number): Promise<void> {
    const partition = entity.partitionKey!;
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(partition) ?? new Map<string, Pending>();
      this.queues.set(partition, queue);
      const earlier = queue.get(entity.rowKey!);
      queue.delete(entity.rowKey!);
      queue.set(entity.rowKey!, {
        ...inSequence(earlier, entity, write),
        waiters: [...(earlier?.waiters ?? []), { resolve, reject }],
      });
      const timer = this.lingering.get(partition);
      // A row someone waits for does not wait for a lingering one: it takes the queue with it now.
      if (timer !== undefined && lingerMs === 0) {
        clearTimeout(timer);
        this.lingering.delete(partition);
        queueMicrotask(() => void this.drain(partition));
      }
      if (this.busy.has(partition)) return;
      // Start on the next microtask, so the rows one caller queues together leave together.
      this.busy.add(partition);
      if (lingerMs > 0)
        this.lingering.set(
          partition,
          setTimeout(() => {
            this.lingering.delete(partition);
            void this.drain(partition);
          }, lingerMs),
        );
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
          await this.send(rows);
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

  private async send(rows: Pending[]): Promise<void> {
    if (rows.length === 1) return this.sendOne(rows[0]!);
    try {
      await this.client.submitTransaction(rows.map(actionOf));
    } catch (error) {
      // A delete of a row that is gone fails the whole transaction, which changed nothing: each alone.
      if (statusOf(error) !== 404 || !rows.some((r) => r.write.kind === "delete")) throw error;
      await Promise.all(rows.map((r) => this.sendOne(r)));
    }
  }

  /** A row alone; a delete of a row that is gone is done. */
  private async sendOne(row: Pending): Promise<void> {
    await tolerating(row.write.kind === "delete" ? [404] : [], () => single(this.client, actionOf(row)));
  }

  /** Upserts many rows, in as few transactions as their partitions allow. */
  async upsertAll(entities: TransactionAction[1][], mode: "Merge" | "Replace"): Promise<void> {
    await Promise.all(entities.map((entity) => this.upsert(entity, mode)));
  }
}

const actionOf = ({ entity, write }: Pending): TransactionAction =>
  write.kind === "delete" ? ["delete", entity] : ["upsert", entity, write.mode];

/**
 * One write standing for a queued one and the next: a delete, or an upsert after a delete, replaces
 * the row; a Merge after an upsert adds its columns to it (a Replace then a Merge stays a Replace).
 */
function inSequence(
  earlier: Pending | undefined,
  entity: TransactionAction[1],
  write: Write,
): Omit<Pending, "waiters"> {
  if (write.kind === "delete" || write.mode === "Replace" || !earlier) return { entity, write };
  if (earlier.write.kind === "delete") return { entity, write: { kind: "upsert", mode: "Replace" } };
  return { entity: { ...earlier.entity, ...entity }, write: earlier.write };
}
