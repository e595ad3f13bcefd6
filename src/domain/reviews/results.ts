import type { AccessReview, Instant, ReviewDecision, UserId } from "../model";

/** What a completed (or running) review decided, item by item: the read model of "review results". */
export interface ReviewItemResult {
  assignmentId: string;
  userId: UserId;
  reviewers: UserId[];
  recommendation: ReviewDecision | "none";
  recommendationReason: string;
  decision?: ReviewDecision;
  decidedBy?: UserId;
  decidedAt?: Instant;
  justification?: string;
  /** Set once the review ended. */
  applied?: "kept" | "removed";
}

export interface ReviewResult {
  reviewId: string;
  policyId: string;
  period: string;
  state: AccessReview["state"];
  startAt: Instant;
  endAt: Instant;
  counts: { total: number; approved: number; denied: number; notReviewed: number; removed: number };
  items: ReviewItemResult[];
}

export function toReviewResult(review: AccessReview): ReviewResult {
  const items = review.items.map((i) => ({
    assignmentId: i.assignmentId,
    userId: i.userId,
    reviewers: i.reviewers,
    recommendation: i.recommendation,
    recommendationReason: i.recommendationReason,
    decision: i.decision?.outcome,
    decidedBy: i.decision?.by,
    decidedAt: i.decision?.at,
    justification: i.decision?.justification,
    applied: i.applied,
  }));
  return {
    reviewId: review.id,
    policyId: review.policyId,
    period: review.period,
    state: review.state,
    startAt: review.startAt,
    endAt: review.endAt,
    counts: {
      total: items.length,
      approved: items.filter((i) => i.decision === "approve").length,
      denied: items.filter((i) => i.decision === "deny").length,
      notReviewed: items.filter((i) => i.decision === undefined).length,
      removed: items.filter((i) => i.applied === "removed").length,
    },
    items,
  };
}
