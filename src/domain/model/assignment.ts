import type { Instant, UserId } from "./ids";
import type { ResourceRole } from "./governance";

export type AssignmentState =
  | "delivering"
  | "delivered"
  | "partiallyDelivered"
  | "deliveryFailed"
  | "expired"
  | "removed";

export const ACTIVE_ASSIGNMENT_STATES: readonly AssignmentState[] = [
  "delivering",
  "delivered",
  "partiallyDelivered",
  "deliveryFailed",
];

export type ResourceDeliveryStatus = "pending" | "granted" | "failed" | "revoked";

export interface ResourceDelivery {
  role: ResourceRole;
  status: ResourceDeliveryStatus;
  attempts: number;
  lastError?: string;
  /** The user already held this role before the assignment granted it: never revoke it. */
  heldBefore: boolean;
  nextAttemptAt?: Instant;
  /** When the grant was read back from the directory and found (Graph or the local directory). */
  verifiedAt?: Instant;
}

/**
 * Taking back what an ended assignment granted, when it did not all go at the first attempt:
 * `removing` while retries remain (with backoff), `removalFailed` once the budget is spent (a
 * catalog owner may Retry), `completed` when a later attempt took the last grant away. Absent when
 * the first attempt took everything (or there was nothing to take).
 */
export interface RemovalProgress {
  status: "removing" | "removalFailed" | "completed";
  /** Failed attempts since the removal began (or since an owner's Retry), against the budget. */
  attempts: number;
  nextAttemptAt?: Instant;
  lastError?: string;
  failedAt?: Instant;
  completedAt?: Instant;
  /** The catalog owner whose Retry started the current attempts. */
  retriedBy?: UserId;
}

/** The granted access of one user to one package under one policy. */
export interface Assignment {
  id: string;
  userId: UserId;
  packageId: string;
  policyId: string;
  requestId: string;
  state: AssignmentState;
  startAt: Instant;
  /** Undefined when the policy's expiry is "never". */
  endAt?: Instant;
  resources: ResourceDelivery[];
  /** Expiry reminders already sent, by offset in hours ("336", "24"), so each is sent once. */
  remindersSent: string[];
  /**
   * Auto-assignment: the user stopped matching the policy's rule; access ends at this time unless
   * they match again before it (an `autoAssignmentGrace` deadline re-checks then).
   */
  autoRemovalDueAt?: Instant;
  removedAt?: Instant;
  removalReason?: string;
  /** Set once a revoke failed after the assignment ended: its access is still (partly) there. */
  removal?: RemovalProgress;
  createdAt: Instant;
  updatedAt: Instant;
  revision: number;
  /**
   * Ids of the last effect batches saved with this state (newest last): a journaled batch whose id
   * is here belongs to a transition that was saved, one whose id is not was never saved.
   */
  effectBatchIds?: string[];
}
