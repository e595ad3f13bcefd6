import type { UserId } from "../../domain/model";

/**
 * What a remembered card shows: every copy sent under one subject is re-rendered together when the
 * state behind it changes.
 */
export const subjects = {
  /** Every approver's copy of a request's approval card. */
  approval: (requestId: string) => `request:${requestId}`,
  /** The requester's status card of a request. */
  status: (requestId: string) => `status:${requestId}`,
  /** One reviewer's copies of their review card: the proactive one and any "my reviews" answer. */
  review: (reviewId: string, reviewerId: UserId) => `review:${reviewId}:${reviewerId}`,
  /** The user's expiry reminders of an assignment. */
  assignment: (assignmentId: string) => `assignment:${assignmentId}`,
  /** Every catalog owner's copy of a card about an assignment's failed revokes (Retry). */
  removal: (assignmentId: string) => `removal:${assignmentId}`,
  /** Every catalog owner's copy of a card about an assignment's failed grants (Reprocess). */
  delivery: (assignmentId: string) => `delivery:${assignmentId}`,
};
