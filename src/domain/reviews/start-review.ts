import type { AccessReview, Deadline, Instant, ReviewItem, ReviewSettings } from "../model";
import { periodLabel, reviewEndAt } from "../lifecycle/recurrence";
import { midpoint } from "../time";
import type { Step } from "../transition";
import { reviewEscalationDeadline } from "./escalate";

/** Stable id of one occurrence's review: starting it twice finds the first one. */
export function reviewIdFor(policyId: string, occurrenceStart: Instant): string {
  const safePolicy = policyId.replace(/[^A-Za-z0-9_-]/g, "_");
  const stamp = occurrenceStart.replace(/[^0-9]/g, "").slice(0, 14);
  return `rvw_${safePolicy}_${stamp}`;
}

/** The midpoint reminder and the end of a review. */
export function reviewDeadlines(review: Pick<AccessReview, "id" | "startAt" | "endAt">): Deadline[] {
  return [
    {
      dueAt: midpoint(review.startAt, review.endAt),
      kind: "reviewReminder",
      subjectId: review.id,
      discriminator: "midpoint",
    },
    { dueAt: review.endAt, kind: "reviewEnd", subjectId: review.id, discriminator: "end" },
  ];
}

export interface StartReviewInput {
  policy: { id: string; packageId: string };
  settings: ReviewSettings;
  occurrenceStart: Instant;
  /** One item per active assignment, reviewers and recommendation already resolved. */
  items: ReviewItem[];
  now: Instant;
}

/** A new review instance for one occurrence of the policy's recurrence. */
export function startReview(input: StartReviewInput): Step<AccessReview> {
  const { policy, settings, occurrenceStart, now } = input;
  const review: AccessReview = {
    id: reviewIdFor(policy.id, occurrenceStart),
    packageId: policy.packageId,
    policyId: policy.id,
    period: periodLabel(occurrenceStart),
    startAt: occurrenceStart,
    endAt: reviewEndAt(settings, occurrenceStart),
    state: "inProgress",
    items: input.items,
    createdAt: now,
    revision: 1,
  };
  return {
    next: review,
    events: [{ type: "ReviewStarted", reviewId: review.id }],
    deadlines: [...reviewDeadlines(review), ...reviewEscalationDeadline(review, settings)],
    changed: true,
  };
}
