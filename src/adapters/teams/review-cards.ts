import type { AccessReview, Instant, UserId } from "../../domain/model";
import type { CardMessage } from "../../ports/notifier";
import type { AssignmentStore, ReviewStore } from "../../ports/stores";
import { type ReviewViewOptions, reviewView } from "../../views/review";
import { type ViewSources, loadViewContext } from "./view-context";

export interface ReviewCardSources extends ViewSources {
  reviews: ReviewStore;
  assignments: AssignmentStore;
}

/** Every copy of one reviewer's card of one review: the proactive one and any "my reviews" answer. */
export const reviewSubject = (reviewId: string, reviewerId: UserId): string =>
  `review:${reviewId}:${reviewerId}`;

/** The reviewers of a review, or of only the items of these assignments. */
export function reviewersOf(review: AccessReview, assignmentIds?: readonly string[]): UserId[] {
  const wanted = assignmentIds ? new Set(assignmentIds) : undefined;
  const found = new Set<UserId>();
  for (const item of review.items) {
    if (!wanted || wanted.has(item.assignmentId)) for (const r of item.reviewers) found.add(r);
  }
  return [...found];
}

const MAX_SHOWN = 20;

/** A reviewer's card of a review, rendered from stored state (people and start dates loaded). */
export async function reviewMessage(
  sources: ReviewCardSources,
  review: AccessReview,
  reviewerId: UserId,
  options: Omit<ReviewViewOptions, "since"> = {},
): Promise<CardMessage> {
  const mine = review.items.filter((i) => i.reviewers.includes(reviewerId)).slice(0, MAX_SHOWN);
  const [ctx, starts] = await Promise.all([
    loadViewContext(sources, [reviewerId, ...mine.flatMap((i) => [i.userId, i.decision?.by])]),
    Promise.all(mine.map((i) => sources.assignments.get(i.assignmentId).catch(() => undefined))),
  ]);
  const since = new Map<string, Instant>();
  for (const stored of starts) if (stored) since.set(stored.value.id, stored.value.startAt);
  return reviewView(ctx, review, reviewerId, { ...options, since });
}
