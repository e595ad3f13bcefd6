import type { AccessReview, UserId } from "../../domain/model";
import type { ReviewStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { newestFirst, pendingReviewers } from "../shared/selectors";
import { VersionedMap } from "./versioned-map";

/** Access reviews in memory, newest first. */
export class MemoryReviewStore implements ReviewStore {
  private readonly rows = new VersionedMap<AccessReview>("review");

  async get(id: string): Promise<Versioned<AccessReview> | undefined> {
    return this.rows.get(id);
  }

  async create(review: AccessReview): Promise<string> {
    return this.rows.create(review.id, review);
  }

  async update(review: AccessReview, etag: string): Promise<string> {
    return this.rows.update(review.id, review, etag);
  }

  async listForPackage(packageId: string): Promise<AccessReview[]> {
    return this.rows
      .values()
      .filter((r) => r.packageId === packageId)
      .sort(newestFirst);
  }

  /** Reviews in progress where the user still has an undecided item. */
  async listActiveForReviewer(userId: UserId): Promise<AccessReview[]> {
    return this.rows
      .values()
      .filter((r) => pendingReviewers(r).includes(userId))
      .sort(newestFirst);
  }
}
