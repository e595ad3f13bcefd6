import type { TableClient } from "@azure/data-tables";
import type { AccessReview, UserId } from "../../domain/model";
import type { ReviewStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { pendingReviewers } from "../shared/selectors";
import { AggregateTable, type IndexKey } from "./aggregate-table";
import { encodeKey, invertedTime, key } from "./keys";

/**
 * Reviews table: entity `e|<id>`; `p|<package>` rows; `r|<reviewer>` rows while the reviewer has an
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

  constructor(client: TableClient) {
    this.table = new AggregateTable(client, "review", reviewIndexKeys);
  }

  get(id: string): Promise<Versioned<AccessReview> | undefined> {
    return this.table.get(id);
  }

  create(review: AccessReview): Promise<string> {
    return this.table.create(review);
  }

  update(review: AccessReview, etag: string): Promise<string> {
    return this.table.update(review, etag);
  }

  listForPackage(packageId: string): Promise<AccessReview[]> {
    return this.table.list(key("p", packageId));
  }

  listActiveForReviewer(userId: UserId): Promise<AccessReview[]> {
    return this.table.list(key("r", userId));
  }
}
