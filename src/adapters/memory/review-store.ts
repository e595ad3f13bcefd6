import type { AccessReview, ReviewItem, UserId } from "../../domain/model";
import type { ReviewStore } from "../../ports/stores";
import { AlreadyExistsError, ConcurrencyError, type Versioned } from "../../ports/versioned";
import { checkReviewFits, reviewedByAny } from "../shared/review-layout";
import { newestFirst, pendingReviewers } from "../shared/selectors";
import { nextEtag } from "./versioned-map";

/**
 * Access reviews in memory, newest first. Sizes are checked as the table store stores them (a
 * header and chunks of items), so a 20,000-item review fits here exactly when it fits there.
 */
export class MemoryReviewStore implements ReviewStore {
  private readonly rows = new Map<string, { json: string; etag: string }>();

  private read(id: string): Versioned<AccessReview> | undefined {
    const row = this.rows.get(id);
    return row ? { value: JSON.parse(row.json) as AccessReview, etag: row.etag } : undefined;
  }

  async get(id: string): Promise<Versioned<AccessReview> | undefined> {
    return this.read(id);
  }

  async getForReviewers(id: string, reviewerIds: UserId[]): Promise<Versioned<AccessReview> | undefined> {
    const stored = this.read(id);
    if (!stored) return undefined;
    const items = stored.value.items.filter((i) => reviewedByAny(i, reviewerIds));
    return { value: { ...stored.value, items }, etag: stored.etag };
  }

  async create(review: AccessReview): Promise<string> {
    checkReviewFits(review);
    const json = JSON.stringify(review);
    const existing = this.rows.get(review.id);
    // As the table store: the very value stored again is the same create (a retried one), done.
    if (existing?.json === json) return existing.etag;
    if (existing) throw new AlreadyExistsError(`review ${review.id}`);
    const etag = nextEtag();
    this.rows.set(review.id, { json, etag });
    return etag;
  }

  async update(review: AccessReview, etag: string): Promise<string> {
    const stored = this.read(review.id);
    if (!stored || stored.etag !== etag) throw new ConcurrencyError(`review ${review.id}`);
    const given = new Map<string, ReviewItem>(review.items.map((i) => [i.assignmentId, i]));
    const items = stored.value.items.map((i) => given.get(i.assignmentId) ?? i);
    if (given.size > 0 && items.filter((i) => given.has(i.assignmentId)).length !== given.size)
      throw new Error(`review ${review.id}: an update carries an item the review does not have`);
    const next = { ...review, items };
    checkReviewFits(next);
    const nextTag = nextEtag();
    this.rows.set(review.id, { json: JSON.stringify(next), etag: nextTag });
    return nextTag;
  }

  async listForPackage(packageId: string): Promise<AccessReview[]> {
    return this.values()
      .filter((r) => r.packageId === packageId)
      .sort(newestFirst);
  }

  /** Reviews in progress where the user still has an undecided item, with their and `readFor`'s items. */
  async listActiveForReviewer(userId: UserId, readFor: UserId[] = []): Promise<AccessReview[]> {
    const reviewers = [userId, ...readFor];
    return this.values()
      .filter((r) => pendingReviewers(r).includes(userId))
      .map((r) => ({ ...r, items: r.items.filter((i) => reviewedByAny(i, reviewers)) }))
      .sort(newestFirst);
  }

  private values(): AccessReview[] {
    return [...this.rows.values()].map((row) => JSON.parse(row.json) as AccessReview);
  }
}
