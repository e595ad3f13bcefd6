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
  createdAt: Instant;
  updatedAt: Instant;
  revision: number;
}
