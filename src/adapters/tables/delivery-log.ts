import { type TableClient, odata } from "@azure/data-tables";
import type { DeliveryLog, DeliveryRecord } from "../../ports/deliveries";
import { decodeKey, encodeKey } from "./keys";

/** Deliveries: one partition per effect batch (`batchId`), one row per message key. */
export class TableDeliveryLog implements DeliveryLog {
  constructor(private readonly client: TableClient) {}

  async listBatch(batchId: string): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    const pk = encodeKey(batchId);
    for await (const row of this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${pk}` },
    })) {
      records.push({
        key: decodeKey(String(row.rowKey)),
        status: row.status === "undeliverable" ? "undeliverable" : "sent",
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
    await this.client.upsertEntity(
      { partitionKey: encodeKey(batchId), rowKey: encodeKey(key), ...fields },
      "Replace",
    );
  }
}
