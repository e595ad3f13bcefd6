import type { AccessReview, Instant, ReviewDecision, ReviewItem, ReviewSettings, UserId } from "../model";
import { domainError } from "../errors";
import { err, ok, type Result } from "../result";
import { isBefore } from "../time";
import { unchanged, type Transition } from "../transition";
import { reviewsFor } from "../delegation/delegation";

export interface ReviewItemCommand {
  actorId: UserId;
  assignmentId: string;
  outcome: ReviewDecision;
  justification: string;
  /** The reviewers whose delegation to the actor is in force now (the app reads them; none: empty). */
  principals?: UserId[];
}

/**
 * Who decides an item and for whom: a reviewer decides as themselves (`{}`), a delegate for the
 * reviewer they stand in for (`{ onBehalfOf }`); anyone else, undefined. Nobody reviews their own
 * access by proxy.
 */
function deciderOf(item: ReviewItem, actorId: UserId, principals: readonly UserId[] = []) {
  if (item.reviewers.includes(actorId)) return {};
  const onBehalfOf = reviewsFor(item, actorId, principals);
  return onBehalfOf ? { onBehalfOf } : undefined;
}

/** A review accepts decisions from its start until its end; after that the outcome is applied. */
function checkActive(review: AccessReview, now: Instant): Result<void> {
  if (review.state !== "inProgress" || !isBefore(now, review.endAt)) {
    return err(domainError("REVIEW.NOT_ACTIVE", "This access review has ended; decisions can't be changed."));
  }
  return ok(undefined);
}

function checkJustification(settings: ReviewSettings, justification: string): Result<void> {
  if (settings.justificationRequired && justification.trim() === "") {
    return err(
      domainError("REVIEW.JUSTIFICATION_REQUIRED", "Please say why.", {
        problems: [{ field: "justification", message: "A reason is required for review decisions." }],
      }),
    );
  }
  return ok(undefined);
}

const bump = (review: AccessReview, items: ReviewItem[]): AccessReview => ({
  ...review,
  items,
  revision: review.revision + 1,
});

/**
 * A reviewer decides one item. Only the reviewers fixed when the review started may decide; a
 * reviewer may change their mind until the review ends; repeating the same decision is a no-op.
 */
export function decideReviewItem(
  review: AccessReview,
  settings: ReviewSettings,
  cmd: ReviewItemCommand,
  now: Instant,
): Transition<AccessReview> {
  const active = checkActive(review, now);
  if (!active.ok) return active;
  const item = review.items.find((i) => i.assignmentId === cmd.assignmentId);
  if (!item) return err(domainError("REVIEW.ITEM_NOT_FOUND", "That person is not part of this review."));
  const decider = deciderOf(item, cmd.actorId, cmd.principals);
  if (!decider) {
    // A delegate of this item's reviewer who holds the access: their own review stays out of their hands.
    const own = item.userId === cmd.actorId && (cmd.principals ?? []).some((p) => item.reviewers.includes(p));
    return err(
      domainError(
        "REVIEW.NOT_A_REVIEWER",
        own ? "You can't review your own access for someone else." : "You are not a reviewer of this access.",
      ),
    );
  }
  const justified = checkJustification(settings, cmd.justification);
  if (!justified.ok) return justified;
  const previous = item.decision;
  if (previous && previous.outcome === cmd.outcome && previous.by === cmd.actorId)
    return ok(unchanged(review));
  const decision = {
    outcome: cmd.outcome,
    by: cmd.actorId,
    ...decider,
    at: now,
    justification: cmd.justification.trim(),
  };
  const items = review.items.map((i) => (i === item ? { ...i, decision } : i));
  return ok({
    next: bump(review, items),
    events: [
      {
        type: "ReviewItemDecided",
        reviewId: review.id,
        assignmentIds: [item.assignmentId],
        by: cmd.actorId,
        outcome: cmd.outcome,
      },
    ],
    deadlines: [],
    changed: true,
  });
}

export interface RemainingItemsCommand {
  actorId: UserId;
  /** "recommendation" takes each item's recommendation (items without one stay open). */
  outcome: ReviewDecision | "recommendation";
  justification: string;
  /** The reviewers whose delegation to the actor is in force now. */
  principals?: UserId[];
}

/** A reviewer (or a delegate of one) decides every item of theirs that nobody has decided yet, in one go. */
export function decideRemainingItems(
  review: AccessReview,
  settings: ReviewSettings,
  cmd: RemainingItemsCommand,
  now: Instant,
): Transition<AccessReview> {
  const active = checkActive(review, now);
  if (!active.ok) return active;
  const mine = review.items.filter((i) => deciderOf(i, cmd.actorId, cmd.principals));
  if (mine.length === 0)
    return err(domainError("REVIEW.NOT_A_REVIEWER", "You are not a reviewer of this access."));
  // Accepting recommendations carries their reasons, which satisfies a required justification.
  if (cmd.outcome !== "recommendation") {
    const justified = checkJustification(settings, cmd.justification);
    if (!justified.ok) return justified;
  }
  const decided: string[] = [];
  const items = review.items.map((i) => {
    const decider = deciderOf(i, cmd.actorId, cmd.principals);
    if (i.decision || !decider) return i;
    const outcome = cmd.outcome === "recommendation" ? i.recommendation : cmd.outcome;
    if (outcome === "none") return i;
    const justification =
      cmd.justification.trim() ||
      (cmd.outcome === "recommendation" ? `Recommended: ${i.recommendationReason}` : "");
    decided.push(i.assignmentId);
    return { ...i, decision: { outcome, by: cmd.actorId, ...decider, at: now, justification } };
  });
  if (decided.length === 0) return ok(unchanged(review));
  return ok({
    next: bump(review, items),
    events: [
      {
        type: "ReviewItemDecided",
        reviewId: review.id,
        assignmentIds: decided,
        by: cmd.actorId,
        outcome: cmd.outcome,
      },
    ],
    deadlines: [],
    changed: true,
  });
}
