import { type TableClient, odata } from "@azure/data-tables";
import type { DeliveryLog, DeliveryRecord } from "../../ports/deliveries";
import { PartitionWriter } from "./batches";
import { decodeKey, encodeKey } from "./keys";

/** How long a batch's first row waits for the rows of its other sends (they finish milliseconds apart). */
const DELIVERY_ROW_LINGER_MS = 50;

/**
 * Deliveries: one partition per effect batch (`batchId`), one row per message key. A batch's sends
 * go out side by side, so their rows are group-committed: rows of sends that finish within a few
 * milliseconds of each other, or while one is being written, leave together as one transaction, and
 * each caller still waits for its own row. Nobody waits on these rows for an answer: the message is
 * already out (a run of the batch after a crash looks for it before posting it again).
 */
export class TableDeliveryLog implements DeliveryLog {
  private readonly writer: PartitionWriter;

  constructor(private readonly client: TableClient) {
    this.writer = new PartitionWriter(client, { lingerMs: DELIVERY_ROW_LINGER_MS });
  }

  async listBatch(batchId: string): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    const pk = encodeKey(batchId);
    for await (const row of this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${pk}` },
    })) {
      records.push({
        key: decodeKey(String(row.rowKey)),
        status: row.status === "undeliverable" || row.status === "superseded" ? row.status : "sent",
        ...(typeof row.activityId === "string" ? { activityId: row.activityId } : {}),
        ...(typeof row.conversationId === "string" ? { conversationId: row.conversationId } : {}),
        ...(typeof row.reason === "string" ? { reason: row.reason } : {}),
        at: String(row.at),
      });
    }
    return records;
  }

  async record(batchId: string, record: DeliveryRecord): Promise<void> {
    const { key, ...fields } = record;
    await this.writer.upsert(
      { partitionKey: encodeKey(batchId), rowKey: encodeKey(key), ...fields },
      "Replace",
    );
  }
}
