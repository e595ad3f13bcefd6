import type { AccessReview, Instant, ReviewDecision, UserId } from "../../domain/model";
import type { AppDeps } from "../deps";

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

/** The reviews of a package, newest first, optionally one period ("2026-11"). */
export async function listReviewResults(
  deps: AppDeps,
  packageId: string,
  period?: string,
): Promise<ReviewResult[]> {
  const reviews = await deps.reviews.listForPackage(packageId);
  return reviews
    .filter((r) => period === undefined || r.period === period)
    .sort((a, b) =>
      a.startAt < b.startAt ? 1 : a.startAt > b.startAt ? -1 : a.policyId.localeCompare(b.policyId),
    )
    .map(toReviewResult);
}
