import type { AccessReview, UserId } from "../../domain/model";

export { currentApprovers, requestParticipants } from "../../domain/request/participants";

/**
 * Who each aggregate is listed for. Shared by the memory and table stores so both index the same
 * people; the table stores also use them to tell a stale index row from a live one.
 */

function unique(ids: UserId[]): UserId[] {
  return [...new Set(ids)];
}

/** Reviewers who still have an undecided item in an in-progress review. */
export function pendingReviewers(review: AccessReview): UserId[] {
  if (review.state !== "inProgress") return [];
  return unique(review.items.filter((item) => !item.decision).flatMap((item) => item.reviewers));
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Newest first by creation time, ties by id: the order of an inverted-time row key. */
export function newestFirst<T extends { id: string; createdAt: string }>(a: T, b: T): number {
  const diff = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return diff !== 0 ? diff : byId(a, b);
}

/** Oldest first, ties by id: pending approvals, most urgent on top. */
export function oldestFirst<T extends { id: string; createdAt: string }>(a: T, b: T): number {
  const diff = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return diff !== 0 ? diff : byId(a, b);
}
