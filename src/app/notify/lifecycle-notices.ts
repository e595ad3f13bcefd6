import type { AccessReview, Assignment, DomainEvent, UserId } from "../../domain/model";
import { reviewRemovingAccess } from "../../domain/reviews/pending-removal";
import type { Logger } from "../../ports/logger";
import type { ExpiryChange, NotificationViews } from "../../ports/notification-views";
import type { OutgoingCard } from "../../ports/notifier";
import type { Dispatch } from "./dispatch";
import {
  type ReviewCardSources,
  cardReviewers,
  reviewCardModel,
  reviewForCards,
  reviewersOf,
} from "../queries/review-card";
import { loadViewContext } from "../queries/view-context";
import { subjects } from "./subjects";
import { reviewsFor } from "../../domain/delegation/delegation";
import { delegatesOf } from "../delegation/in-force";

export type LifecycleEvent = Extract<
  DomainEvent,
  {
    type:
      | "ExpiryReminderDue"
      | "ReviewStarted"
      | "ReviewItemDecided"
      | "ReviewReminderDue"
      | "ReviewEscalated"
      | "ReviewCompleted";
  }
>;

const LIFECYCLE_TYPES = new Set<string>([
  "ExpiryReminderDue",
  "ReviewStarted",
  "ReviewItemDecided",
  "ReviewReminderDue",
  "ReviewEscalated",
  "ReviewCompleted",
]);

export const isLifecycleEvent = (event: DomainEvent): event is LifecycleEvent =>
  LIFECYCLE_TYPES.has(event.type);

/** Cards for at most this many people read their items; more read the whole review (one query). */
const PER_REVIEWER_READS = 50;

export interface LifecycleNoticeOptions {
  sources: ReviewCardSources;
  views: NotificationViews;
  logger: Logger;
}

/** Expiry reminders and access reviews in chat: each card rendered from the stored entity. */
export class LifecycleNotices {
  constructor(private readonly options: LifecycleNoticeOptions) {}

  async handle(event: LifecycleEvent, d: Dispatch): Promise<void> {
    switch (event.type) {
      case "ExpiryReminderDue":
        return this.remindExpiry(event.assignmentId, d);
      case "ReviewStarted":
        return this.withReview(event.reviewId, (r) => this.sendReviewCards(r, reviewersOf(r), d));
      case "ReviewItemDecided":
        return this.itemsDecided(event, d);
      case "ReviewReminderDue":
        return this.withReviewFor(event.reviewId, event.reviewerIds, (r) =>
          this.sendReviewCards(r, event.reviewerIds, d, true),
        );
      case "ReviewEscalated":
        // The fallback reviewers get the review; the first reviewers' cards stay as they are.
        return this.withReviewFor(event.reviewId, event.reviewerIds, (r) =>
          this.sendReviewCards(r, event.reviewerIds, d),
        );
      case "ReviewCompleted":
        return this.withReview(event.reviewId, (r) => this.reviewCompleted(r, d));
    }
  }

  /** After an extension or the end of the access, the reminder copies lose their Extend button. */
  async closeExpiryCards(assignment: Assignment, change: ExpiryChange, d: Dispatch): Promise<void> {
    const ctx = await loadViewContext(this.options.sources, [assignment.userId]);
    d.update(subjects.assignment(assignment.id), this.options.views.expiryClosed(ctx, assignment, change));
  }

  private async remindExpiry(assignmentId: string, d: Dispatch): Promise<void> {
    const assignment = (await this.options.sources.assignments.get(assignmentId))?.value;
    if (!assignment) return;
    const [ctx, reviews] = await Promise.all([
      loadViewContext(this.options.sources, [assignment.userId]),
      this.options.sources.reviews.listForPackage(assignment.packageId),
    ]);
    // Denied in a running review: the access ends with that review, and Extend is not offered.
    const review = reviewRemovingAccess(reviews, assignment.id);
    d.send(
      assignment.userId,
      this.options.views.expiryReminder(
        ctx,
        assignment,
        review ? { endAt: review.endAt, period: review.period } : undefined,
      ),
      subjects.assignment(assignment.id),
    );
  }

  private async withReview(id: string, work: (review: AccessReview) => Promise<void>): Promise<void> {
    const review = (await this.options.sources.reviews.get(id))?.value;
    if (!review) return this.options.logger.warn({ reviewId: id }, "event for a review that is gone");
    await work(review);
  }

  /**
   * The review with the items the cards of these reviewers and of their delegates show (a card
   * shows its viewer's items only), not the whole of a large review; `known`, a read already made,
   * serves when it holds them all. Past `PER_REVIEWER_READS` people the whole review is one query,
   * cheaper than a read per person.
   */
  private async withReviewFor(
    id: string,
    reviewerIds: readonly UserId[],
    work: (review: AccessReview) => Promise<void>,
    known?: { review: AccessReview; readFor: readonly UserId[] },
  ): Promise<void> {
    const delegates = await delegatesOf(this.options.sources, reviewerIds);
    const people = [...new Set([...reviewerIds, ...delegates.keys()])];
    if (people.length > PER_REVIEWER_READS) return this.withReview(id, work);
    const needed = await cardReviewers(this.options.sources, people);
    if (known && needed.every((p) => known.readFor.includes(p))) return work(known.review);
    const review = (await this.options.sources.reviews.getForReviewers(id, needed))?.value;
    if (!review) return this.options.logger.warn({ reviewId: id }, "event for a review that is gone");
    await work(review);
  }

  /**
   * Every copy of the cards of the decided items' reviewers (and their delegates) is re-rendered.
   * The items are the decider's, or of whom they stood in for: reading those names their reviewers.
   * A delegation ended since (the items are not among them) reads the whole review, as before.
   */
  private async itemsDecided(event: Extract<LifecycleEvent, { type: "ReviewItemDecided" }>, d: Dispatch) {
    const readFor = await cardReviewers(this.options.sources, [event.by]);
    const decider = (await this.options.sources.reviews.getForReviewers(event.reviewId, readFor))?.value;
    if (!decider)
      return this.options.logger.warn({ reviewId: event.reviewId }, "event for a review that is gone");
    const held = new Set(decider.items.map((i) => i.assignmentId));
    if (!event.assignmentIds.every((a) => held.has(a)))
      return this.withReview(event.reviewId, (r) =>
        this.updateReviewCards(r, reviewersOf(r, event.assignmentIds), d),
      );
    const reviewers = reviewersOf(decider, event.assignmentIds);
    return this.withReviewFor(event.reviewId, reviewers, (r) => this.updateReviewCards(r, reviewers, d), {
      review: decider,
      readFor,
    });
  }

  private async reviewCard(review: AccessReview, reviewer: UserId, reminder = false): Promise<OutgoingCard> {
    const model = await reviewCardModel(this.options.sources, review, reviewer);
    return this.options.views.review(model, review, reviewer, reminder);
  }

  private async sendReviewCards(
    review: AccessReview,
    reviewerIds: UserId[],
    d: Dispatch,
    reminder = false,
  ): Promise<void> {
    // Delegates of these reviewers get the review too, if it holds an open item they may decide.
    const delegates = await this.delegatesWith(review, reviewerIds, (i) => !i.decision);
    for (const reviewer of new Set([...reviewerIds, ...delegates])) {
      const message = await this.reviewCard(review, reviewer, reminder);
      // A delegate who reviews in it already has a card: it is re-rendered, not sent again.
      if (!reviewerIds.includes(reviewer) && review.items.some((i) => i.reviewers.includes(reviewer)))
        d.update(subjects.review(review.id, reviewer), message);
      else d.send(reviewer, message, subjects.review(review.id, reviewer));
    }
  }

  /**
   * A delegate was just given the reviews of an approver away: their card of each, sent (or, when
   * they review in it themselves, their copy re-rendered with the items they now decide too).
   */
  async sendDelegatedReviews(reviewIds: readonly string[], delegateId: UserId, d: Dispatch): Promise<void> {
    for (const id of reviewIds) {
      // The delegate's card: their items and those of whom they stand in for, not the whole review.
      const review = (await reviewForCards(this.options.sources, id, [delegateId]))?.value;
      if (!review) {
        this.options.logger.warn({ reviewId: id }, "event for a review that is gone");
        continue;
      }
      if (review.state !== "inProgress") continue;
      const message = await this.reviewCard(review, delegateId);
      if (review.items.some((i) => i.reviewers.includes(delegateId)))
        d.update(subjects.review(review.id, delegateId), message);
      else d.send(delegateId, message, subjects.review(review.id, delegateId));
    }
  }

  /** The delegates in force of these reviewers with an item (matching `wanted`) they may decide for them. */
  private async delegatesWith(
    review: AccessReview,
    reviewerIds: readonly UserId[],
    wanted: (item: AccessReview["items"][number]) => boolean = () => true,
  ): Promise<UserId[]> {
    const delegates = await delegatesOf(this.options.sources, reviewerIds);
    return [...delegates]
      .filter(([delegate, principal]) =>
        review.items.some((i) => wanted(i) && reviewsFor(i, delegate, [principal])),
      )
      .map(([delegate]) => delegate);
  }

  private async updateReviewCards(review: AccessReview, reviewerIds: UserId[], d: Dispatch): Promise<void> {
    const delegates = await this.delegatesWith(review, reviewerIds);
    for (const reviewer of new Set([...reviewerIds, ...delegates])) {
      const message = await this.reviewCard(review, reviewer);
      d.update(subjects.review(review.id, reviewer), message);
    }
  }

  /** Every copy shows the outcome; each reviewer gets a short summary of what their review did. */
  private async reviewCompleted(review: AccessReview, d: Dispatch): Promise<void> {
    const reviewers = reviewersOf(review);
    await this.updateReviewCards(review, reviewers, d);
    const ctx = await loadViewContext(this.options.sources, []);
    for (const reviewer of reviewers) {
      d.send(reviewer, this.options.views.reviewCompleted(ctx, review, reviewer));
    }
  }
}
