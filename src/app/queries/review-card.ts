import type { AccessReview, Instant, UserId } from "../../domain/model";
import type { ReviewCardModel } from "../../ports/read-models";
import type { AssignmentStore, ReviewStore } from "../../ports/stores";
import { type ViewSources, loadViewContext } from "./view-context";
import type { DelegationStore } from "../../ports/delegations";
import type { Versioned } from "../../ports/versioned";
import { reviewerItems } from "../../domain/reviews/reviewer-items";
import { principalsNow } from "../delegation/in-force";

export interface ReviewCardSources extends ViewSources {
  reviews: ReviewStore;
  assignments: AssignmentStore;
  /** Reviewers' delegations: a delegate's card shows the items they review for someone away. */
  delegations?: DelegationStore;
}

/** The items a card shows at most; the rest are reviewed from the next card. */
const MAX_SHOWN = 20;

/** The reviewers of a review, or of only the items of these assignments. */
export function reviewersOf(review: AccessReview, assignmentIds?: readonly string[]): UserId[] {
  const wanted = assignmentIds ? new Set(assignmentIds) : undefined;
  const found = new Set<UserId>();
  for (const item of review.items) {
    if (!wanted || wanted.has(item.assignmentId)) for (const r of item.reviewers) found.add(r);
  }
  return [...found];
}

/**
 * The review as the cards of these people show it: their items and those of the reviewers each
 * stands in for (what `reviewerItems` picks for their cards), read without the rest. A reviewer's
 * card of a 20,000-item review costs their chunks (a manager's ten items: ~25 KB), not the ~4.6 MB
 * of the whole review.
 */
export async function reviewForCards(
  sources: ReviewCardSources,
  reviewId: string,
  people: readonly UserId[],
): Promise<Versioned<AccessReview> | undefined> {
  return sources.reviews.getForReviewers(reviewId, await cardReviewers(sources, people));
}

/** Whose items the cards of these people show: theirs and those of the reviewers each stands in for. */
export async function cardReviewers(
  sources: ReviewCardSources,
  people: readonly UserId[],
): Promise<UserId[]> {
  const principals = await Promise.all(people.map((p) => principalsNow(sources, p)));
  return [...new Set([...people, ...principals.flat()])];
}

/** What a reviewer's card shows besides the review: the people it names and when each access started. */
export async function reviewCardModel(
  sources: ReviewCardSources,
  review: AccessReview,
  reviewerId: UserId,
): Promise<ReviewCardModel> {
  const principals = await principalsNow(sources, reviewerId);
  const mine = reviewerItems(review, reviewerId, principals).slice(0, MAX_SHOWN);
  const [ctx, starts] = await Promise.all([
    loadViewContext(sources, [
      reviewerId,
      ...principals,
      ...mine.flatMap((i) => [i.userId, i.decision?.by, i.decision?.onBehalfOf]),
    ]),
    // Items carry their start since reviews kept it; older ones read the assignment.
    Promise.all(
      mine.filter((i) => !i.since).map((i) => sources.assignments.get(i.assignmentId).catch(() => undefined)),
    ),
  ]);
  const since = new Map<string, Instant>();
  for (const i of mine) if (i.since) since.set(i.assignmentId, i.since);
  for (const stored of starts) if (stored) since.set(stored.value.id, stored.value.startAt);
  return { ctx, since, ...(principals.length > 0 ? { principals } : {}) };
}
