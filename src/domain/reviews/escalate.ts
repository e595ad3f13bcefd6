import type { AccessReview, Deadline, Instant, ReviewItem, ReviewSettings, UserId } from "../model";
import { addDays, isBefore } from "../time";
import { unchanged, type Step } from "../transition";

/** When a review's fallback reviewers join its undecided items; undefined when the policy does not escalate. */
export function reviewEscalateAt(
  review: Pick<AccessReview, "startAt" | "endAt">,
  settings: Pick<ReviewSettings, "escalateAfterDays" | "fallbackReviewers">,
): Instant | undefined {
  if (settings.escalateAfterDays === undefined || settings.fallbackReviewers.length === 0) return undefined;
  const at = addDays(review.startAt, settings.escalateAfterDays);
  return isBefore(at, review.endAt) ? at : undefined;
}

/** The `reviewEscalation` deadline a review start sets, if the policy escalates. */
export function reviewEscalationDeadline(
  review: Pick<AccessReview, "id" | "startAt" | "endAt">,
  settings: Pick<ReviewSettings, "escalateAfterDays" | "fallbackReviewers">,
): Deadline[] {
  const dueAt = reviewEscalateAt(review, settings);
  return dueAt
    ? [{ dueAt, kind: "reviewEscalation", subjectId: review.id, discriminator: "escalation" }]
    : [];
}

/**
 * The reviewers did not respond in time: the fallback reviewers (resolved per item by the use case,
 * keyed by assignment id) join every item nobody decided yet, once per review. Nobody reviews their
 * own access. Before `escalateAt`, after the end, or a second time, nothing changes.
 */
export function escalateReview(
  review: AccessReview,
  fallbackByAssignment: Readonly<Record<string, UserId[]>>,
  escalateAt: Instant,
  now: Instant,
): Step<AccessReview> {
  if (review.state !== "inProgress" || review.escalatedAt) return unchanged(review);
  if (isBefore(now, escalateAt) || !isBefore(now, review.endAt)) return unchanged(review);
  const reviewerIds = new Set<UserId>();
  const assignmentIds: string[] = [];
  const items = review.items.map((item): ReviewItem => {
    if (item.decision) return item;
    const added = [...new Set(fallbackByAssignment[item.assignmentId] ?? [])].filter(
      (id) => id !== item.userId && !item.reviewers.includes(id),
    );
    if (added.length === 0) return item;
    added.forEach((id) => reviewerIds.add(id));
    assignmentIds.push(item.assignmentId);
    return { ...item, reviewers: [...item.reviewers, ...added], addedReviewers: added };
  });
  if (assignmentIds.length === 0) return unchanged(review);
  return {
    next: { ...review, items, escalatedAt: now, revision: review.revision + 1 },
    events: [{ type: "ReviewEscalated", reviewId: review.id, reviewerIds: [...reviewerIds], assignmentIds }],
    deadlines: [],
    changed: true,
  };
}
