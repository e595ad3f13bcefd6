import type { Instant } from "./ids";

/** Kinds of work that fall due at a time (time is data: the scheduler reads these by range). */
export type DueKind =
  | "approvalReminder"
  | "approvalEscalation"
  | "decisionWindowEnd"
  | "scheduledStart"
  | "deliveryRetry"
  /** Revokes of an ended assignment: "safety" after it ends, "retry" at the backoff's next try. */
  | "removalRetry"
  | "expiryReminder"
  | "expiry"
  | "reviewStart"
  | "reviewReminder"
  | "reviewEnd"
  /** The fallback reviewers join a review's undecided items (`escalateAfterDays` after its start). */
  | "reviewEscalation"
  | "autoAssignmentGrace"
  /** Recurring evaluation of one auto-assignment policy's rule over the directory. */
  | "autoAssignmentEvaluate"
  /** The recurring reconciliation sweep: directory members against the assignments that grant them. */
  | "reconcileAccess"
  /** The recurring guest lifecycle run: block, then delete guests whose last access ended. */
  | "guestLifecycle"
  /** One guest's block or delete, its audit row and its sponsors' notice, until all are done. */
  | "guestStep"
  /** The effects (audit rows, notifications) of a saved transition, until they are all done. */
  | "effects"
  /** One outbound call of a custom extension (a webhook), until it is answered or fails for good. */
  | "extensionCall";

/** A deadline a transition sets. The subject is reloaded when the work runs: a deadline may be stale. */
export interface Deadline {
  dueAt: Instant;
  kind: DueKind;
  /** Id of the request, assignment, review or policy the work is about. */
  subjectId: string;
  /** Distinguishes several deadlines of one kind for one subject (stage number, reminder offset). */
  discriminator: string;
  /** Data the work needs that no entity holds (the events of an effect batch), as JSON. */
  payload?: string;
}
