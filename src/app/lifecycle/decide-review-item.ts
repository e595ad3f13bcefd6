import { domainError } from "../../domain/errors";
import type { AccessReview, ReviewDecision, ReviewSettings, UserId } from "../../domain/model";
import {
  decideRemainingItems as decideRemaining,
  decideReviewItem as decideItem,
} from "../../domain/reviews";
import { err, ok, type Result } from "../../domain/result";
import type { Transition } from "../../domain/transition";
import { ConcurrencyError } from "../../ports/versioned";
import type { AppDeps } from "../deps";
import { nowIso } from "../shared/context";
import { applyEffects, auditRow, scheduleFirst } from "../shared/effects";
import { mutate, type Mutated } from "../shared/mutate";
import { principalsNow } from "../delegation/in-force";

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

/** Rounds of `mutate` (each up to five attempts) before a decision is told to try again. */
const CONFLICT_ROUNDS = 4;

/**
 * Decisions on one review commit on its header, one at a time. Within this process they take
 * turns instead of racing (hundreds of reviewers clicking at once would otherwise mostly lose
 * compare-and-swaps to each other); other instances still race, and retry.
 */
const turns = new Map<string, Promise<unknown>>();

async function inTurn<T>(reviewId: string, work: () => Promise<T>): Promise<T> {
  const before = turns.get(reviewId) ?? Promise.resolve();
  const mine = before.then(work, work);
  const settled = mine.catch(() => undefined);
  turns.set(reviewId, settled);
  try {
    return await mine;
  } finally {
    if (turns.get(reviewId) === settled) turns.delete(reviewId);
  }
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

/**
 * What a decision reads: the review with only the items the actor and the reviewers they stand in
 * for review (not all 20,000 of a large one); the whole review when the item asked for is not
 * among them, so a refusal says what it always said (not a reviewer, no such item).
 */
function reviewFor(deps: AppDeps, reviewerIds: UserId[], assignmentId?: string) {
  return {
    async get(id: string) {
      const part = await deps.reviews.getForReviewers(id, reviewerIds);
      if (!part || !assignmentId || part.value.items.some((i) => i.assignmentId === assignmentId))
        return part;
      return deps.reviews.get(id);
    },
    update: (review: AccessReview, etag: string) => deps.reviews.update(review, etag),
  };
}

/**
 * Load, decide, compare-and-swap through `mutate`; on a conflict it reloads and decides again.
 * Audits each decided item. Settings are read once, before the loop; losing every attempt is told
 * as CONCURRENCY.CONFLICT so the card can say "try again".
 */
async function decideWithRetry(
  deps: AppDeps,
  store: ReturnType<typeof reviewFor>,
  reviewId: string,
  actorId: UserId,
  source: string,
  decide: (review: AccessReview, settings: ReviewSettings) => Transition<AccessReview>,
): Promise<Result<AccessReview>> {
  const config = await deps.governance.load();
  const settingsOf = (review: AccessReview) =>
    config.policies.find((p) => p.id === review.policyId)?.lifecycle.review ?? NEUTRAL;
  let result: Result<Mutated<AccessReview>> | undefined;
  // Every decision of a review commits on its header, one at a time: deciders who keep losing to
  // others (hundreds of reviewers on one review) step back a little before deciding again.
  for (let round = 1; !result; round += 1) {
    try {
      result = await inTurn(reviewId, () =>
        mutate(
          store,
          reviewId,
          domainError("REVIEW.ITEM_NOT_FOUND", "This access review no longer exists."),
          (review) => decide(review, settingsOf(review)),
          undefined,
          (s) => scheduleFirst(deps, s),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (round >= CONFLICT_ROUNDS)
        return err(domainError("CONCURRENCY.CONFLICT", "The review changed meanwhile; try again."));
      await new Promise((resolve) => setTimeout(resolve, round * 20 + Math.random() * 40));
    }
  }
  if (!result.ok) return result;
  const { step } = result.value;
  const review = step.next;
  if (!step.changed) return ok(review);
  const decidedIds = new Set(
    step.events.flatMap((e) => (e.type === "ReviewItemDecided" ? e.assignmentIds : [])),
  );
  const rows = review.items
    .filter((i) => decidedIds.has(i.assignmentId) && i.decision)
    .map((i) =>
      auditRow(deps, {
        actor: actorId,
        action: "review.decided",
        subject: `review:${review.id}`,
        targetUserId: i.userId,
        packageId: review.packageId,
        reason: i.decision!.justification,
        source,
        details: {
          assignmentId: i.assignmentId,
          outcome: i.decision!.outcome,
          period: review.period,
          // A delegate's decision names the reviewer it was made for.
          ...(i.decision!.onBehalfOf ? { onBehalfOf: i.decision!.onBehalfOf } : {}),
        },
      }),
    );
  await applyEffects(deps, step, { actor: actorId, source, packageId: review.packageId }, () => rows);
  return ok(review);
}

/**
 * A reviewer approves or denies one person's access. The actor must be one of the item's reviewers,
 * or the delegate of one (REVIEW.NOT_A_REVIEWER); the policy may require a justification.
 */
export function decideReviewItem(deps: AppDeps, cmd: DecideReviewItemCommand): Promise<Result<AccessReview>> {
  return withPrincipals(deps, cmd.actorId, (principals) => {
    const command = { ...cmd, justification: cmd.justification ?? "", principals };
    const store = reviewFor(deps, [cmd.actorId, ...principals], cmd.assignmentId);
    return decideWithRetry(deps, store, cmd.reviewId, cmd.actorId, cmd.source, (review, settings) =>
      decideItem(review, settings, command, nowIso(deps)),
    );
  });
}

/**
 * Decides with the reviewers whose delegation to the actor is in force (read outside the retried
 * closure, from the cached delegations). Refused as no reviewer: a delegation may have started on
 * another instance a moment ago, so storage is asked and, if it knows one, the decision is tried again.
 */
async function withPrincipals(
  deps: AppDeps,
  actorId: UserId,
  decide: (principals: UserId[]) => Promise<Result<AccessReview>>,
): Promise<Result<AccessReview>> {
  const principals = await principalsNow(deps, actorId);
  const result = await decide(principals);
  if (result.ok || result.error.code !== "REVIEW.NOT_A_REVIEWER") return result;
  const fresh = await principalsNow(deps, actorId, { fresh: true });
  return fresh.some((p) => !principals.includes(p)) ? decide(fresh) : result;
}

/** A reviewer decides all their undecided items at once (approve, deny, or accept recommendations). */
export function decideRemainingItems(
  deps: AppDeps,
  cmd: DecideRemainingItemsCommand,
): Promise<Result<AccessReview>> {
  return withPrincipals(deps, cmd.actorId, (principals) => {
    const command = { ...cmd, justification: cmd.justification ?? "", principals };
    const store = reviewFor(deps, [cmd.actorId, ...principals]);
    return decideWithRetry(deps, store, cmd.reviewId, cmd.actorId, cmd.source, (review, settings) =>
      decideRemaining(review, settings, command, nowIso(deps)),
    );
  });
}
