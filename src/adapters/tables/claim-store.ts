import { odata, type TableClient } from "@azure/data-tables";
import type { UserId } from "../../domain/model";
import type { Claim, ClaimKey, ClaimKind, ClaimStore } from "../../ports/claims";
import type { Versioned } from "../../ports/versioned";
import { statusOf, tolerating } from "./errors";
import { encodeKey, key } from "./keys";

interface Row {
  holderType: string;
  holderId: string;
  at: string;
}

/** Claims this process remembers having written (bounded like the other per-process caches). */
const REMEMBERED_CLAIMS = 1000;

const partitionOf = (userId: UserId): string => key("u", userId);
const rowKeyOf = (packageId: string, kind: ClaimKind): string => `${encodeKey(packageId)}|${kind}`;

const idOf = (k: ClaimKey): string => `${partitionOf(k.userId)}\n${rowKeyOf(k.packageId, k.kind)}`;

function claimOf(userId: UserId, packageId: string, kind: ClaimKind, row: Row): Claim {
  return {
    userId,
    packageId,
    kind,
    holder: { type: row.holderType === "assignment" ? "assignment" : "request", id: row.holderId },
    at: row.at,
  };
}

const entityOf = (claim: Claim) => ({
  partitionKey: partitionOf(claim.userId),
  rowKey: rowKeyOf(claim.packageId, claim.kind),
  holderType: claim.holder.type,
  holderId: claim.holder.id,
  at: claim.at,
});

/**
 * Claims table: one row per person, package and kind (`u|<user>` / `<package>|<kind>`) naming the
 * request or assignment that holds it. Created with a plain create (409: taken), replaced and
 * deleted only at the ETag read; a person's claims of one package are one short range of one row
 * partition.
 */
export class TableClaimStore implements ClaimStore {
  /** Rows this process wrote, by `<partition>\n<row>`: delivery hands a claim over without reading it. */
  private readonly written = new Map<string, Versioned<Claim>>();

  constructor(private readonly client: TableClient) {}

  remembered(k: ClaimKey): Versioned<Claim> | undefined {
    const known = this.written.get(idOf(k));
    return known && { value: { ...known.value, holder: { ...known.value.holder } }, etag: known.etag };
  }

  private remember(claim: Claim, etag: string | undefined): string | undefined {
    const id = idOf(claim);
    this.written.delete(id);
    if (etag === undefined) return undefined;
    this.written.set(id, { value: { ...claim, holder: { ...claim.holder } }, etag });
    if (this.written.size > REMEMBERED_CLAIMS) this.written.delete(this.written.keys().next().value!);
    return etag;
  }

  async get(k: ClaimKey): Promise<Versioned<Claim> | undefined> {
    const row = await tolerating([404], () =>
      this.client.getEntity<Row>(partitionOf(k.userId), rowKeyOf(k.packageId, k.kind)),
    );
    return row && { value: claimOf(k.userId, k.packageId, k.kind, row), etag: row.etag };
  }

  async create(claim: Claim): Promise<string | undefined> {
    try {
      return this.remember(claim, (await this.client.createEntity(entityOf(claim))).etag);
    } catch (error) {
      if (statusOf(error) === 409) return this.remember(claim, undefined);
      throw error;
    }
  }

  async replace(claim: Claim, etag: string): Promise<string | undefined> {
    try {
      return this.remember(
        claim,
        (await this.client.updateEntity(entityOf(claim), "Replace", { etag })).etag,
      );
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return this.remember(claim, undefined);
      throw error;
    }
  }

  async release(userId: UserId, packageId: string, holderId: string): Promise<void> {
    const from = `${encodeKey(packageId)}|`;
    const rows = this.client.listEntities<Row>({
      queryOptions: {
        filter: odata`PartitionKey eq ${partitionOf(userId)} and RowKey ge ${from} and RowKey lt ${`${from}~`}`,
      },
    });
    const held: { rowKey: string; etag: string }[] = [];
    for await (const row of rows) {
      if (row.holderId === holderId) held.push({ rowKey: row.rowKey!, etag: row.etag });
    }
    for (const kind of ["access", "extension"] as const)
      this.written.delete(idOf({ userId, packageId, kind }));
    await Promise.all(
      held.map((row) =>
        tolerating([404, 412], () =>
          this.client.deleteEntity(partitionOf(userId), row.rowKey, { etag: row.etag }),
        ),
      ),
    );
  }
}
