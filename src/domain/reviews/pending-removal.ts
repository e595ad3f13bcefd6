import type { AccessReview } from "../model";
import { isBefore } from "../time";
import { itemOutcome } from "./complete";

/**
 * The running access review in which a reviewer denied this assignment: when that review
 * completes, the denial removes the access (`itemOutcome`). The earliest ending one if
 * several; undefined when no running review denied it.
 */
export function reviewRemovingAccess(
  reviews: readonly AccessReview[],
  assignmentId: string,
): AccessReview | undefined {
  let found: AccessReview | undefined;
  for (const review of reviews) {
    if (review.state !== "inProgress") continue;
    const item = review.items.find((i) => i.assignmentId === assignmentId);
    // Only a reviewer's decision counts here; "no response" rules are applied at the end.
    if (!item?.decision || itemOutcome(item, "keep").applied !== "removed") continue;
    if (!found || isBefore(review.endAt, found.endAt)) found = review;
  }
  return found;
}
