import { odata, TableClient, TableTransaction } from "@azure/data-tables";
import type { UserId } from "../../domain/model";
import type { MembershipStore, ResourceKey } from "./membership-store";

/*
 * Key design: the local directory is small (a demo organisation), and reads go both ways
 * (members of a group; groups of a user). Every change is stored twice in ONE partition:
 *   row "r|<resource>|<user>"  (members of a resource: range scan on "r|<resource>|")
 *   row "u|<user>|<resource>"  (what a user holds: range scan on "u|<user>|")
 * Sharing a partition lets both rows go in one transaction, so the two directions never disagree.
 * One partition holds ~2,000 writes/s, far above what a demo directory needs; a large directory
 * would live in Microsoft Entra, not here.
 */
const PARTITION = "membership";

interface MembershipEntity {
  partitionKey: string;
  rowKey: string;
  resource: string;
  userId: string;
  present: boolean;
}

const enc = (s: string) => encodeURIComponent(s);
const resourceRow = (resource: string, userId: string) => `r|${enc(resource)}|${enc(userId)}`;
const userRow = (userId: string, resource: string) => `u|${enc(userId)}|${enc(resource)}`;
// "|" + 1 == "}": every key starting with "<prefix>|" sorts below "<prefix>}".
const rangeFilter = (prefix: string) =>
  odata`PartitionKey eq ${PARTITION} and RowKey ge ${`${prefix}|`} and RowKey lt ${`${prefix}}`}`;

export class TableMembershipStore implements MembershipStore {
  constructor(private readonly table: TableClient) {}

  static fromConnectionString(
    connectionString: string,
    tableName = "LocalMemberships",
  ): TableMembershipStore {
    const allowInsecureConnection = /^UseDevelopmentStorage=true|http:\/\//.test(connectionString);
    return new TableMembershipStore(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection }),
    );
  }

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async set(resource: ResourceKey, userId: UserId, present: boolean): Promise<void> {
    const base = { partitionKey: PARTITION, resource, userId, present };
    const tx = new TableTransaction();
    tx.upsertEntity<MembershipEntity>({ ...base, rowKey: resourceRow(resource, userId) }, "Replace");
    tx.upsertEntity<MembershipEntity>({ ...base, rowKey: userRow(userId, resource) }, "Replace");
    await this.table.submitTransaction(tx.actions);
  }

  async get(resource: ResourceKey, userId: UserId): Promise<boolean | undefined> {
    try {
      const e = await this.table.getEntity<MembershipEntity>(PARTITION, resourceRow(resource, userId));
      return e.present;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  async listByResource(resource: ResourceKey): Promise<Map<UserId, boolean>> {
    const out = new Map<UserId, boolean>();
    for await (const e of this.scan(`r|${enc(resource)}`)) out.set(e.userId, e.present);
    return out;
  }

  async listByUser(userId: UserId): Promise<Map<ResourceKey, boolean>> {
    const out = new Map<ResourceKey, boolean>();
    for await (const e of this.scan(`u|${enc(userId)}`)) out.set(e.resource, e.present);
    return out;
  }

  private scan(prefix: string) {
    return this.table.listEntities<MembershipEntity>({ queryOptions: { filter: rangeFilter(prefix) } });
  }
}
