import type { DeliveryLog, DeliveryRecord } from "../../ports/deliveries";

/** The delivery log in memory. */
export class MemoryDeliveryLog implements DeliveryLog {
  private readonly batches = new Map<string, Map<string, DeliveryRecord>>();

  async listBatch(batchId: string): Promise<DeliveryRecord[]> {
    return [...(this.batches.get(batchId)?.values() ?? [])].map((r) => ({ ...r }));
  }

  async record(batchId: string, record: DeliveryRecord): Promise<void> {
    const batch = this.batches.get(batchId) ?? new Map<string, DeliveryRecord>();
    batch.set(record.key, { ...record });
    this.batches.set(batchId, batch);
  }
}
