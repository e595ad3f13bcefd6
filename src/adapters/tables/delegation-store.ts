import { odata, type TableClient } from "@azure/data-tables";
import type { Delegation } from "../../domain/delegation/delegation";
import type { Instant, UserId } from "../../domain/model";
import type { DelegationStore } from "../../ports/delegations";
import type { UsedLinkStore } from "../../ports/signed-links";
import { statusOf, tolerating } from "./errors";
import { decodeKey, encodeKey } from "./keys";

const PARTITION = "delegation";

interface DelegationEntity {
  partitionKey: string;
  rowKey: string;
  delegateId: string;
  until: string;
  createdAt: string;
  effectBatchId?: string;
}

const toDelegation = (e: DelegationEntity): Delegation => ({
  approverId: decodeKey(e.rowKey),
  delegateId: e.delegateId,
  until: e.until,
  createdAt: e.createdAt,
  ...(e.effectBatchId ? { effectBatchId: e.effectBatchId } : {}),
});

/**
 * Delegations table: one partition (`delegation`), one row per approver (row key: the approver's
 * id). Delegations are few at a time, so the delegate's view is a filter of that one partition.
 */
export class TableDelegationStore implements DelegationStore {
  constructor(private readonly client: TableClient) {}

  async get(approverId: UserId): Promise<Delegation | undefined> {
    const entity = await tolerating([404], () =>
      this.client.getEntity<DelegationEntity>(PARTITION, encodeKey(approverId)),
    );
    return entity ? toDelegation(entity) : undefined;
  }

  async put(d: Delegation): Promise<void> {
    await this.client.upsertEntity(
      {
        partitionKey: PARTITION,
        rowKey: encodeKey(d.approverId),
        delegateId: d.delegateId,
        until: d.until,
        createdAt: d.createdAt,
        ...(d.effectBatchId ? { effectBatchId: d.effectBatchId } : {}),
      },
      "Replace",
    );
  }

  async remove(approverId: UserId): Promise<Delegation | undefined> {
    const current = await this.get(approverId);
    if (!current) return undefined;
    await tolerating([404], () => this.client.deleteEntity(PARTITION, encodeKey(approverId)));
    return current;
  }

  async list(): Promise<Delegation[]> {
    return this.query(odata`PartitionKey eq ${PARTITION}`);
  }

  async listForDelegate(delegateId: UserId): Promise<Delegation[]> {
    return this.query(odata`PartitionKey eq ${PARTITION} and delegateId eq ${delegateId}`);
  }

  private async query(filter: string): Promise<Delegation[]> {
    const rows: Delegation[] = [];
    for await (const e of this.client.listEntities<DelegationEntity>({ queryOptions: { filter } }))
      rows.push(toDelegation(e));
    return rows;
  }
}

/**
 * Used download links: partition = the day the link expires (old days can be dropped whole), row
 * key = the link id; a create that meets 409 means the link was used.
 */
export class TableUsedLinkStore implements UsedLinkStore {
  constructor(private readonly client: TableClient) {}

  async claim(linkId: string, expiresAt: Instant): Promise<boolean> {
    try {
      await this.client.createEntity({
        partitionKey: expiresAt.slice(0, 10),
        rowKey: encodeKey(linkId),
        expiresAt,
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }
}
