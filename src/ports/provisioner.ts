import type { ResourceRole, UserId } from "../domain/model";

export interface ProvisioningOperation {
  action: "grant" | "revoke";
  userId: UserId;
  role: ResourceRole;
}

/**
 * The outcome of one operation. `done` and `unchanged` (already a member / already absent) both
 * count as success: provisioning is idempotent.
 */
export type ProvisioningOutcome =
  | { status: "done" }
  | { status: "unchanged" }
  | { status: "failed"; retryable: boolean; error: string; retryAfterMs?: number };

/** Grants and revokes resource roles: the local directory or Microsoft Graph. */
export interface Provisioner {
  /** Applies each operation; outcomes are in the same order. Never throws for one failed operation. */
  apply(operations: ProvisioningOperation[]): Promise<ProvisioningOutcome[]>;
  /** Whether the user already holds the role (recorded at grant time so removal never takes it away). */
  holds(userId: UserId, role: ResourceRole): Promise<boolean>;
  /**
   * Users who hold each role directly now, by the role's grant key (`grantKey` in
   * domain/assignment/revocation.ts), for drift reconciliation. A role whose holders could not be
   * read is left out of the map (nothing is decided on it). Without this method nothing is reconciled.
   */
  holders?(roles: ResourceRole[]): Promise<Map<string, UserId[]>>;
  /**
   * Reads each role back after a grant: true when the user holds it directly, false when not,
   * undefined when the read failed (nothing is concluded). Without this method grants stay unverified.
   */
  verify?(userId: UserId, roles: ResourceRole[]): Promise<Array<boolean | undefined>>;
}
