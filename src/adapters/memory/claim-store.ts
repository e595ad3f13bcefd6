import type { UserId } from "../../domain/model";
import type { Claim, ClaimKey, ClaimStore } from "../../ports/claims";
import type { Versioned } from "../../ports/versioned";
import { nextEtag } from "./versioned-map";

const keyOf = (k: ClaimKey): string => JSON.stringify([k.userId, k.packageId, k.kind]);

/** Claim rows in memory: create fails on an existing key, replace and release are ETag CAS. */
export class MemoryClaimStore implements ClaimStore {
  private readonly rows = new Map<string, { claim: Claim; etag: string }>();

  async get(key: ClaimKey): Promise<Versioned<Claim> | undefined> {
    const row = this.rows.get(keyOf(key));
    return row && { value: copy(row.claim), etag: row.etag };
  }

  async create(claim: Claim): Promise<string | undefined> {
    const k = keyOf(claim);
    if (this.rows.has(k)) return undefined;
    const etag = nextEtag();
    this.rows.set(k, { claim: copy(claim), etag });
    return etag;
  }

  async replace(claim: Claim, etag: string): Promise<string | undefined> {
    const k = keyOf(claim);
    if (this.rows.get(k)?.etag !== etag) return undefined;
    const next = nextEtag();
    this.rows.set(k, { claim: copy(claim), etag: next });
    return next;
  }

  async release(userId: UserId, packageId: string, holderId: string): Promise<void> {
    for (const kind of ["access", "extension"] as const) {
      const k = keyOf({ userId, packageId, kind });
      if (this.rows.get(k)?.claim.holder.id === holderId) this.rows.delete(k);
    }
  }
}

const copy = (claim: Claim): Claim => ({
  userId: claim.userId,
  packageId: claim.packageId,
  kind: claim.kind,
  holder: { type: claim.holder.type, id: claim.holder.id },
  at: claim.at,
});
