import type { TableClient } from "@azure/data-tables";
import type { AccessReview, UserId } from "../../domain/model";
import type { ReviewStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { pendingReviewers } from "../shared/selectors";
import { type AfterAnswers, AggregateTable, type IndexKey } from "./aggregate-table";
import { encodeKey, invertedTime, key } from "./keys";
import { ReviewRows } from "./review-rows";

/**
 * Reviews table: the review in partition `e|<id>` as a header and chunks of items (review-rows.ts); `p|<package>` rows; `r|<reviewer>` rows while the reviewer has an
 * undecided item in an in-progress review. Both newest first.
 */
export function reviewIndexKeys(review: AccessReview): IndexKey[] {
  const rowKey = `${invertedTime(review.createdAt)}|${encodeKey(review.id)}`;
  return [
    { partitionKey: key("p", review.packageId), rowKey },
    ...pendingReviewers(review).map((u) => ({ partitionKey: key("r", u), rowKey })),
  ];
}

export class TableReviewStore implements ReviewStore {
  private readonly table: AggregateTable<AccessReview>;
  private readonly rows: ReviewRows;
  /**
   * Reads of lists running at the same moment, by review and reviewers: "my reviews" lists a
   * person's partition and those of whom they stand in for side by side, and a review in several
   * of them is read once. Only while the read is in flight: a later list reads again.
   */
  private readonly listReads = new Map<string, ReturnType<ReviewRows["readForReviewers"]>>();

  constructor(client: TableClient, options: AfterAnswers = {}) {
    this.rows = new ReviewRows(client);
    // A large review has thousands of index keys: remember few versions of them.
    this.table = new AggregateTable(client, "review", reviewIndexKeys, {
      ...options,
      rows: this.rows,
      cacheSize: 16,
    });
  }

  get(id: string): Promise<Versioned<AccessReview> | undefined> {
    return this.table.get(id);
  }

  getForReviewers(id: string, reviewerIds: UserId[]): Promise<Versioned<AccessReview> | undefined> {
    return this.rows.readForReviewers(id, reviewerIds);
  }

  create(review: AccessReview): Promise<string> {
    return this.table.create(review);
  }

  /**
   * A review read for some reviewers carries only their items: a decision never adds a pending
   * reviewer, and of the reviewers read only those left with no undecided item lose their index
   * row. Others' rows stay; a reader prunes one that turned stale (AggregateTable.list).
   */
  async update(review: AccessReview, etag: string): Promise<string> {
    const finished = await this.rows.finishedReviewers(review, etag);
    if (finished === "whole") return this.table.update(review, etag);
    const rowKey = `${invertedTime(review.createdAt)}|${encodeKey(review.id)}`;
    const dropped = finished.map((u) => ({ partitionKey: key("r", u), rowKey }));
    return this.table.update(review, etag, { added: [], dropped });
  }

  listForPackage(packageId: string): Promise<AccessReview[]> {
    return this.table.list(key("p", packageId));
  }

  listActiveForReviewer(userId: UserId, readFor: UserId[] = []): Promise<AccessReview[]> {
    // Read for the user too: what is read must still show the user's pending items, or the reader
    // would take the user's row for stale.
    const reviewers = [...new Set([userId, ...readFor])].sort();
    return this.table.list(key("r", userId), undefined, undefined, (id) => this.readForList(id, reviewers));
  }

  private readForList(id: string, reviewers: UserId[]): ReturnType<ReviewRows["readForReviewers"]> {
    const read = `${id}\n${reviewers.join("\n")}`;
    const running = this.listReads.get(read);
    if (running) return running;
    const reading = this.rows.readForReviewers(id, reviewers).finally(() => this.listReads.delete(read));
    this.listReads.set(read, reading);
    return reading;
  }
}
