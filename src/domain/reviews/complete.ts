import type { AccessReview, Instant, ReviewItem, ReviewSettings, UserId } from "../model";
import { unchanged, type Step } from "../transition";

export interface ReviewRemoval {
  assignmentId: string;
  userId: UserId;
  reason: string;
}

/** What happens to one item when the review ends. */
export function itemOutcome(
  item: ReviewItem,
  ifNoResponse: ReviewSettings["ifNoResponse"],
): { applied: "kept" | "removed"; reason: string } {
  if (item.decision) {
    return item.decision.outcome === "deny"
      ? { applied: "removed", reason: "Denied in an access review." }
      : { applied: "kept", reason: "Approved in an access review." };
  }
  if (ifNoResponse === "remove")
    return { applied: "removed", reason: "Not reviewed; the policy removes access." };
  if (ifNoResponse === "recommendation" && item.recommendation === "deny") {
    return {
      applied: "removed",
      reason: `Not reviewed; removed as recommended: ${item.recommendationReason}`,
    };
  }
  return { applied: "kept", reason: "Not reviewed; access kept." };
}

/**
 * The review at its end: denied items are removed, items nobody reviewed follow the policy's
 * `ifNoResponse`. The caller removes the listed assignments (overlap-safe) and then saves.
 */
export function completeReview(
  review: AccessReview,
  settings: Pick<ReviewSettings, "ifNoResponse">,
): Step<AccessReview> & { removals: ReviewRemoval[] } {
  if (review.state === "completed") return { ...unchanged(review), removals: [] };
  const removals: ReviewRemoval[] = [];
  const items = review.items.map((item) => {
    const outcome = itemOutcome(item, settings.ifNoResponse);
    if (outcome.applied === "removed") {
      removals.push({ assignmentId: item.assignmentId, userId: item.userId, reason: outcome.reason });
    }
    return { ...item, applied: outcome.applied };
  });
  return {
    next: { ...review, items, state: "completed", revision: review.revision + 1 },
    events: [
      {
        type: "ReviewCompleted",
        reviewId: review.id,
        removedAssignmentIds: removals.map((r) => r.assignmentId),
      },
    ],
    deadlines: [],
    changed: true,
    removals,
  };
}

/** Reviewers who still have at least one undecided item. */
export function reviewersWithOpenItems(review: AccessReview): UserId[] {
  const open = new Set<UserId>();
  for (const item of review.items) if (!item.decision) for (const r of item.reviewers) open.add(r);
  return [...open];
}

/** The midpoint reminder: once per review, only to reviewers who have not finished. */
export function remindReviewers(review: AccessReview, now: Instant): Step<AccessReview> {
  if (review.state !== "inProgress" || review.remindedAt) return unchanged(review);
  const reviewerIds = reviewersWithOpenItems(review);
  if (reviewerIds.length === 0) return unchanged(review);
  return {
    next: { ...review, remindedAt: now, revision: review.revision + 1 },
    events: [{ type: "ReviewReminderDue", reviewId: review.id, reviewerIds }],
    deadlines: [],
    changed: true,
  };
}
