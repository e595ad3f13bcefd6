import type { AccessReview, ReviewItem, UserId } from "../../domain/model";
import { sizeChunks } from "./size-chunks";
import { toStoredJson } from "./stored-json";

/**
 * How a review is stored (docs/storage.md, "Reviews"): a header (the review without its items) and
 * its items in chunks of at most CHUNK_ITEMS items and CHUNK_CHARS characters of JSON, items of the
 * same reviewers side by side, so a reviewer's items sit in one or two chunks and a decision
 * rewrites only those. Shared by the memory store, which refuses what the tables could not hold.
 */
export const CHUNK_ITEMS = 100;
export const CHUNK_CHARS = 48_000;

export type ReviewHeader = Omit<AccessReview, "items">;

export function headerOf(review: AccessReview): ReviewHeader {
  const { items: _items, ...header } = review;
  return header;
}

const groupOf = (item: ReviewItem): string => [...item.reviewers].sort().join(",");

/** The items' positions, chunk by chunk: grouped by reviewers, in item order within a group. */
export function planChunks(items: readonly ReviewItem[]): number[][] {
  const groups = items.map(groupOf);
  const order = items
    .map((_, i) => i)
    .sort((a, b) => (groups[a]! < groups[b]! ? -1 : groups[a]! > groups[b]! ? 1 : a - b));
  return sizeChunks(
    order,
    { maxCount: CHUNK_ITEMS, maxChars: CHUNK_CHARS },
    (position) => JSON.stringify(items[position]).length + 1,
  );
}

/** Throws StoredValueTooLargeError where the table store would: a header or a chunk too large. */
export function checkReviewFits(review: AccessReview): void {
  toStoredJson(`review ${review.id}`, headerOf(review));
  for (const chunk of planChunks(review.items))
    toStoredJson(
      `review ${review.id} items`,
      chunk.map((p) => review.items[p]),
    );
}

/** Whether one of these people reviews the item. */
export function reviewedByAny(item: ReviewItem, reviewerIds: readonly UserId[]): boolean {
  return item.reviewers.some((r) => reviewerIds.includes(r));
}
