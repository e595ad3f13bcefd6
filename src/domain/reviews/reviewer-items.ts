import { mayReviewItem } from "../delegation/delegation";
import type { AccessReview, ReviewItem, UserId } from "../model";

/** Each review's items by reviewer, with their positions: built once per review value. */
const byReviewer = new WeakMap<AccessReview, Map<UserId, number[]>>();

function indexOf(review: AccessReview): Map<UserId, number[]> {
  let index = byReviewer.get(review);
  if (!index) {
    index = new Map();
    review.items.forEach((item, position) => {
      for (const r of item.reviewers) {
        const list = index!.get(r);
        if (list) list.push(position);
        else index!.set(r, [position]);
      }
    });
    byReviewer.set(review, index);
  }
  return index;
}

/**
 * The items a person may decide (`mayReviewItem`), in the review's order. Drawing the cards of a
 * 20,000-item review for its 2,000 reviewers looks at each item once, not once per card: the items
 * are indexed by reviewer the first time a review value is asked (values are never changed in place).
 */
export function reviewerItems(
  review: AccessReview,
  viewerId: UserId,
  principals: readonly UserId[] = [],
): ReviewItem[] {
  const index = indexOf(review);
  const positions = [...new Set([viewerId, ...principals].flatMap((id) => index.get(id) ?? []))].sort(
    (a, b) => a - b,
  );
  return positions.map((p) => review.items[p]!).filter((i) => mayReviewItem(i, viewerId, principals));
}
