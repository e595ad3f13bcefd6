import { type ReviewResult, toReviewResult } from "../../domain/reviews/results";
import type { AppDeps } from "../deps";

export type { ReviewItemResult, ReviewResult } from "../../domain/reviews/results";

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
