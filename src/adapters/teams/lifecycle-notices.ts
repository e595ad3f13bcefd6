import type { AccessReview, Assignment, DomainEvent, UserId } from "../../domain/model";
import type { Logger } from "../../ports/logger";
import type { CardMessage, Notifier } from "../../ports/notifier";
import { packageName } from "../../views/context";
import { expiryClosedView, expiryReminderView } from "../../views/expiry";
import { noticeView } from "../../views/notices";
import type { ReviewNotice } from "../../views/review";
import { type ReviewCardSources, reviewMessage, reviewSubject, reviewersOf } from "./review-cards";
import { loadViewContext } from "./view-context";

/** Every copy of an assignment's expiry reminder. */
export const assignmentSubject = (assignmentId: string): string => `assignment:${assignmentId}`;

export type LifecycleEvent = Extract<
  DomainEvent,
  {
    type:
      | "ExpiryReminderDue"
      | "ReviewStarted"
      | "ReviewItemDecided"
      | "ReviewReminderDue"
      | "ReviewCompleted";
  }
>;

const LIFECYCLE_TYPES = new Set<string>([
  "ExpiryReminderDue",
  "ReviewStarted",
  "ReviewItemDecided",
  "ReviewReminderDue",
  "ReviewCompleted",
]);

export const isLifecycleEvent = (event: DomainEvent): event is LifecycleEvent =>
  LIFECYCLE_TYPES.has(event.type);

export interface LifecycleNoticeOptions {
  sources: ReviewCardSources;
  notifier: Notifier;
  logger: Logger;
  /** Sends to a user, logging (not throwing) when they can't be reached. */
  notify(userId: UserId, message: CardMessage, subject?: string): Promise<void>;
}

/** Expiry reminders and access reviews in chat: each card rendered from the stored entity. */
export class LifecycleNotices {
  constructor(private readonly options: LifecycleNoticeOptions) {}

  async handle(event: LifecycleEvent): Promise<void> {
    switch (event.type) {
      case "ExpiryReminderDue":
        return this.remindExpiry(event.assignmentId);
      case "ReviewStarted":
        return this.withReview(event.reviewId, (r) => this.sendReviewCards(r, reviewersOf(r)));
      case "ReviewItemDecided":
        return this.withReview(event.reviewId, (r) =>
          this.updateReviewCards(r, reviewersOf(r, event.assignmentIds)),
        );
      case "ReviewReminderDue":
        return this.withReview(event.reviewId, (r) =>
          this.sendReviewCards(r, event.reviewerIds, { reminder: true }),
        );
      case "ReviewCompleted":
        return this.withReview(event.reviewId, (r) => this.reviewCompleted(r));
    }
  }

  /** After an extension or the end of the access, the reminder copies lose their Extend button. */
  async closeExpiryCards(assignment: Assignment, change: "extended" | "expired" | "removed"): Promise<void> {
    const ctx = await loadViewContext(this.options.sources, [assignment.userId]);
    await this.options.notifier.updateCards(
      assignmentSubject(assignment.id),
      expiryClosedView(ctx, assignment, change),
    );
  }

  private async remindExpiry(assignmentId: string): Promise<void> {
    const assignment = (await this.options.sources.assignments.get(assignmentId))?.value;
    if (!assignment) return;
    const ctx = await loadViewContext(this.options.sources, [assignment.userId]);
    await this.options.notify(
      assignment.userId,
      expiryReminderView(ctx, assignment),
      assignmentSubject(assignment.id),
    );
  }

  private async withReview(id: string, work: (review: AccessReview) => Promise<void>): Promise<void> {
    const review = (await this.options.sources.reviews.get(id))?.value;
    if (!review) return this.options.logger.warn({ reviewId: id }, "event for a review that is gone");
    await work(review);
  }

  private async sendReviewCards(
    review: AccessReview,
    reviewerIds: UserId[],
    notice?: ReviewNotice,
  ): Promise<void> {
    for (const reviewer of new Set(reviewerIds)) {
      const message = await reviewMessage(this.options.sources, review, reviewer, { notice });
      await this.options.notify(reviewer, message, reviewSubject(review.id, reviewer));
    }
  }

  private async updateReviewCards(review: AccessReview, reviewerIds: UserId[]): Promise<void> {
    for (const reviewer of new Set(reviewerIds)) {
      const message = await reviewMessage(this.options.sources, review, reviewer);
      await this.options.notifier.updateCards(reviewSubject(review.id, reviewer), message);
    }
  }

  /** Every copy shows the outcome; each reviewer gets a short summary of what their review did. */
  private async reviewCompleted(review: AccessReview): Promise<void> {
    const reviewers = reviewersOf(review);
    await this.updateReviewCards(review, reviewers);
    const ctx = await loadViewContext(this.options.sources, []);
    const name = packageName(ctx, review.packageId);
    for (const reviewer of reviewers) {
      const mine = review.items.filter((i) => i.reviewers.includes(reviewer));
      const removed = mine.filter((i) => i.applied === "removed").length;
      const open = mine.filter((i) => !i.decision).length;
      await this.options.notify(
        reviewer,
        noticeView(`Access review completed: ${name}`, [
          `Period ${review.period}: ${mine.length - removed} kept, ${removed} removed.`,
          open > 0 ? `${open} nobody reviewed followed the policy's rule for no response.` : "",
          `Type "review results for ${name}" to see who decided what.`,
        ]),
      );
    }
  }
}
