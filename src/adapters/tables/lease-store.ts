import type { TableClient } from "@azure/data-tables";
import type { Instant } from "../../domain/model";
import type { LeaseStore } from "../../ports/stores";
import { statusOf, tolerating } from "./errors";
import { encodeKey } from "./keys";

const PARTITION = "lease";

/** Leases table: one row per lease name (`lease` / `<name>`) with owner and expiry, changed by ETag CAS. */
export class TableLeaseStore implements LeaseStore {
  constructor(private readonly client: TableClient) {}

  private read(name: string) {
    return tolerating([404], () =>
      this.client.getEntity<{ owner: string; until: string }>(PARTITION, encodeKey(name)),
    );
  }

  async acquire(name: string, owner: string, now: Instant, ttlMs: number): Promise<boolean> {
    const rowKey = encodeKey(name);
    const nowMs = Date.parse(now);
    const entity = { partitionKey: PARTITION, rowKey, owner, until: new Date(nowMs + ttlMs).toISOString() };
    const current = await this.read(name);
    try {
      if (!current) await this.client.createEntity(entity);
      else if (current.owner === owner || Date.parse(current.until) <= nowMs) {
        await this.client.updateEntity(entity, "Replace", { etag: current.etag });
      } else return false;
      return true;
    } catch (error) {
      if (statusOf(error) === 409 || statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async release(name: string, owner: string): Promise<void> {
    const current = await this.read(name);
    if (!current || current.owner !== owner) return;
    await tolerating([404, 412], () =>
      this.client.deleteEntity(PARTITION, encodeKey(name), { etag: current.etag }),
    );
  }
}
