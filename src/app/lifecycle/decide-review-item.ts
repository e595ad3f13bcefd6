import { domainError } from "../../domain/errors";
import type { AccessReview, ReviewDecision, ReviewSettings, UserId } from "../../domain/model";
import {
  decideRemainingItems as decideRemaining,
  decideReviewItem as decideItem,
} from "../../domain/reviews";
import { err, ok, type Result } from "../../domain/result";
import type { Transition } from "../../domain/transition";
import type { AppDeps } from "../deps";
import { isConflict, nowIso } from "./support";

export interface DecideReviewItemCommand {
  actorId: UserId;
  reviewId: string;
  assignmentId: string;
  outcome: ReviewDecision;
  justification?: string;
  /** Where the decision came from: "card:review", "chat:command". */
  source: string;
}

export interface DecideRemainingItemsCommand {
  actorId: UserId;
  reviewId: string;
  outcome: ReviewDecision | "recommendation";
  justification?: string;
  source: string;
}

/** A review whose policy lost its review settings keeps working under neutral settings. */
const NEUTRAL: ReviewSettings = {
  recurrence: "annual",
  startDate: "1970-01-01T00:00:00.000Z",
  durationDays: 1,
  reviewers: [],
  fallbackReviewers: [],
  justificationRequired: false,
  ifNoResponse: "keep",
};

async function reviewSettings(deps: AppDeps, policyId: string): Promise<ReviewSettings> {
  const config = await deps.governance.load();
  return config.policies.find((p) => p.id === policyId)?.lifecycle.review ?? NEUTRAL;
}

/** Load, decide, compare-and-swap; on a conflict reload and decide again. Audits each decided item. */
async function decideWithRetry(
  deps: AppDeps,
  reviewId: string,
  actorId: UserId,
  source: string,
  decide: (review: AccessReview, settings: ReviewSettings) => Transition<AccessReview>,
  tries = 5,
): Promise<Result<AccessReview>> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await deps.reviews.get(reviewId);
    if (!stored) return err(domainError("REVIEW.ITEM_NOT_FOUND", "This access review no longer exists."));
    const step = decide(stored.value, await reviewSettings(deps, stored.value.policyId));
    if (!step.ok) return step;
    if (!step.value.changed) return ok(stored.value);
    try {
      await deps.reviews.update(step.value.next, stored.etag);
    } catch (error) {
      if (isConflict(error) && attempt < tries) continue;
      if (isConflict(error))
        return err(domainError("CONCURRENCY.CONFLICT", "The review changed meanwhile; try again."));
      throw error;
    }
    const review = step.value.next;
    const decidedIds = new Set(
      step.value.events.flatMap((e) => (e.type === "ReviewItemDecided" ? e.assignmentIds : [])),
    );
    const entries = review.items
      .filter((i) => decidedIds.has(i.assignmentId) && i.decision)
      .map((i) => ({
        id: deps.ids.next("aud"),
        at: nowIso(deps),
        actor: actorId,
        action: "review.decided" as const,
        subject: `review:${review.id}`,
        targetUserId: i.userId,
        packageId: review.packageId,
        reason: i.decision!.justification,
        source,
        details: { assignmentId: i.assignmentId, outcome: i.decision!.outcome, period: review.period },
      }));
    await deps.audit.append(entries);
    await deps.events.publish(step.value.events);
    return ok(review);
  }
}

/**
 * A reviewer approves or denies one person's access. The actor must be one of the item's reviewers
 * (REVIEW.NOT_A_REVIEWER); the policy may require a justification.
 */
export function decideReviewItem(deps: AppDeps, cmd: DecideReviewItemCommand): Promise<Result<AccessReview>> {
  const command = { ...cmd, justification: cmd.justification ?? "" };
  return decideWithRetry(deps, cmd.reviewId, cmd.actorId, cmd.source, (review, settings) =>
    decideItem(review, settings, command, nowIso(deps)),
  );
}

/** A reviewer decides all their undecided items at once (approve, deny, or accept recommendations). */
export function decideRemainingItems(
  deps: AppDeps,
  cmd: DecideRemainingItemsCommand,
): Promise<Result<AccessReview>> {
  const command = { ...cmd, justification: cmd.justification ?? "" };
  return decideWithRetry(deps, cmd.reviewId, cmd.actorId, cmd.source, (review, settings) =>
    decideRemaining(review, settings, command, nowIso(deps)),
  );
}
