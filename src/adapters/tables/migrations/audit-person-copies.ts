import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { AuditEntry } from "../../../domain/model";
import { copyRows, isEarlierSubjectCopy } from "../audit-copies";
import { insertAll } from "../audit-log";
import { MAX_BATCH_OPERATIONS } from "../batches";
import { statusOf, tolerating } from "../errors";
import { jsonColumns, readJsonColumns } from "../json-columns";
import type { Row } from "./rows";
import type { MigrationStep } from "./step";

interface EarlierCopy {
  partitionKey: string;
  rowKey: string;
  entry: AuditEntry;
}

/** The subject partitions that can hold such copies: a request's and an assignment's. */
const RANGES = ["assignment", "request"].map(
  (kind) => `PartitionKey ge 's|${kind}:' and PartitionKey lt 's|${kind};'`,
);

/**
 * Subject copies in `s|<subject>` of entries about a person's request or assignment, a page at a
 * time (a store holds several per request ever made). Copies of entries about nobody stay.
 */
async function* earlierCopies(client: TableClient): AsyncGenerator<EarlierCopy[]> {
  for (const filter of RANGES) {
    try {
      for await (const page of client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: 1000 })) {
        const copies = (page as Row[])
          .map((row) => ({
            partitionKey: row.partitionKey!,
            rowKey: row.rowKey!,
            entry: readJsonColumns<AuditEntry>(row),
          }))
          .filter((copy) => isEarlierSubjectCopy(copy.partitionKey, copy.entry));
        if (copies.length > 0) yield copies;
      }
    } catch (error) {
      if (statusOf(error) === 404) return; // no Audit table: nothing was ever written
      throw error;
    }
  }
}

/**
 * Deletes the old rows, a transaction per partition; returns how many went. Copies are only ever
 * inserted and deleted, never changed, so no ETag needs checking.
 */
async function deleteOld(client: TableClient, copies: EarlierCopy[]): Promise<number> {
  const byPartition = new Map<string, EarlierCopy[]>();
  for (const copy of copies)
    byPartition.set(copy.partitionKey, [...(byPartition.get(copy.partitionKey) ?? []), copy]);
  const counts = await Promise.all(
    [...byPartition.values()].map(async (rows) => {
      let deleted = 0;
      for (let i = 0; i < rows.length; i += MAX_BATCH_OPERATIONS) {
        const chunk = rows.slice(i, i + MAX_BATCH_OPERATIONS);
        try {
          await client.submitTransaction(
            chunk.map(({ partitionKey, rowKey }): TransactionAction => ["delete", { partitionKey, rowKey }]),
          );
          deleted += chunk.length;
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
          // Another run deleted one of them first: one by one, leaving it what it took.
          for (const { partitionKey, rowKey } of chunk) {
            const gone = await tolerating([404], async () => {
              await client.deleteEntity(partitionKey, rowKey);
              return true;
            });
            if (gone) deleted += 1;
          }
        }
      }
      return deleted;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Audit entries about a person's request or assignment: the subject's copy from `s|<subject>` into
 * the person's partition `u|<user>` (under `s|<subject>|<inverted time>|<id>`, beside the person's
 * copy, which is already there), so that an append writes one partition fewer. The new rows are
 * inserted first (one already there is kept), then the old ones deleted: a run cut
 * anywhere and run again ends the same, and queries find the entry throughout (they read both places).
 */
export const auditPersonCopies: MigrationStep = {
  name: "audit-person-copies",
  summary:
    "moves the subject copies of audit entries about a person's request or assignment from s|<subject> into the person's partition u|<user>",
  async pending(ctx) {
    const byPartition = new Map<string, number>();
    for await (const copies of earlierCopies(ctx.table("audit")))
      for (const { partitionKey } of copies)
        byPartition.set(partitionKey, (byPartition.get(partitionKey) ?? 0) + 1);
    return {
      rows: [...byPartition.values()].reduce((a, b) => a + b, 0),
      detail: [...byPartition].map(
        ([partition, n]) => `Audit ${partition}: ${n} copies, into their person's partition`,
      ),
    };
  },
  async run(ctx) {
    const client = ctx.table("audit");
    let moved = 0;
    let found = 0;
    for await (const copies of earlierCopies(client)) {
      found += copies.length;
      await insertAll(
        client,
        copies.flatMap(({ entry }) =>
          copyRows(entry)
            .filter((row) => row.rowKey.startsWith("s|"))
            .map((row) => ({ ...row, ...jsonColumns(`audit entry ${entry.id}`, entry) })),
        ),
      );
      moved += await deleteOld(client, copies);
    }
    const left = found - moved;
    return {
      moved,
      left: 0,
      detail: left > 0 ? [`${left} copies were moved by another run at the same time`] : [],
    };
  },
};
