import { GovernanceIndex } from "../../domain/governance-index";
import { isActive } from "../../domain/assignment/lifecycle";
import { isOccurrence, reviewEndAt } from "../../domain/lifecycle";
import type { AccessReview, AssignmentPolicy, ReviewItem, ReviewSettings } from "../../domain/model";
import {
  recommendReviewDecision,
  reviewDeadlines,
  reviewEscalationDeadline,
  reviewIdFor,
  startReview,
} from "../../domain/reviews";
import { isBefore } from "../../domain/time";
import { AlreadyExistsError } from "../../ports/versioned";
import type { DueItem } from "../../ports/stores";
import type { AppDeps } from "../deps";
import { SCHEDULER_SOURCE, type DueHandler } from "../due-work";
import { nowIso } from "../shared/context";
import { applyEffects, auditRow, scheduleFirst } from "../shared/effects";
import { resolveReviewers, type GroupCache } from "./resolve-reviewers";
import { scheduleNextReview } from "./schedule-reviews";
import type { LifecycleSettings } from "./settings";

/** One item per active assignment under the policy, reviewers fixed and recommendation made now. */
async function buildItems(
  deps: AppDeps,
  index: GovernanceIndex,
  policy: AssignmentPolicy,
  settings: ReviewSettings,
  inactiveDays: number,
): Promise<ReviewItem[]> {
  const now = nowIso(deps);
  const groups: GroupCache = new Map();
  const assignments = (await deps.assignments.listForPackage(policy.packageId)).filter(
    (a) => a.policyId === policy.id && isActive(a),
  );
  const items: ReviewItem[] = [];
  for (const a of assignments) {
    const user = await deps.directory.getUser(a.userId);
    const { recommendation, reason } = recommendReviewDecision(user, now, inactiveDays);
    items.push({
      assignmentId: a.id,
      userId: a.userId,
      reviewers: await resolveReviewers(deps, index, settings, a.userId, groups),
      recommendation,
      recommendationReason: reason,
      since: a.startAt,
    });
  }
  return items;
}

/**
 * Starts the review of one occurrence (`reviewStart`: subject = policy id, discriminator = the
 * occurrence). Safe to run twice: the review id is derived from the occurrence.
 */
export async function startAccessReview(
  deps: AppDeps,
  item: DueItem,
  settings: Pick<LifecycleSettings, "inactiveDays">,
): Promise<AccessReview | undefined> {
  // Fresh: a review removed or rescheduled by an apply a moment ago must not start from a cached copy.
  const index = new GovernanceIndex(await deps.governance.load({ fresh: true }));
  const policy = index.policy(item.subjectId);
  const review = policy?.lifecycle.review;
  const occurrence = item.discriminator;
  // Reviews turned off, or settings changed since this deadline was set: scheduleReviews set the new one.
  if (!policy || !review || !isOccurrence(review, occurrence)) return undefined;
  const log = deps.logger.child({ policyId: policy.id, occurrence });
  await scheduleNextReview(deps, policy.id, review, occurrence);
  if (!isBefore(nowIso(deps), reviewEndAt(review, occurrence))) {
    log.warn("review occurrence missed: its window ended before it could start");
    return undefined;
  }
  const existing = await deps.reviews.get(reviewIdFor(policy.id, occurrence));
  if (existing) {
    // Repairs a start interrupted by a crash.
    await deps.due.schedule([
      ...reviewDeadlines(existing.value),
      ...reviewEscalationDeadline(existing.value, review),
    ]);
    return existing.value;
  }
  const items = await buildItems(deps, index, policy, review, settings.inactiveDays);
  const step = startReview({
    policy,
    settings: review,
    occurrenceStart: occurrence,
    items,
    now: nowIso(deps),
  });
  // Deadlines first: a dangling one finds no review and is dropped; a review without them would never end.
  const first = await scheduleFirst(deps, step);
  try {
    await deps.reviews.create(first.next);
  } catch (error) {
    if (error instanceof AlreadyExistsError) return (await deps.reviews.get(first.next.id))?.value;
    throw error;
  }
  const started = first.next;
  await applyEffects(
    deps,
    first,
    { actor: "system", source: SCHEDULER_SOURCE, packageId: policy.packageId },
    () => [
      auditRow(deps, {
        actor: "system",
        action: "review.started",
        subject: `review:${started.id}`,
        packageId: policy.packageId,
        reason: `Access review ${started.period} of policy "${policy.name}" (${items.length} to review).`,
        source: SCHEDULER_SOURCE,
        details: { policyId: policy.id, period: started.period, endAt: started.endAt },
      }),
    ],
  );
  log.info({ reviewId: started.id, items: items.length }, "access review started");
  return started;
}

export const reviewStartHandler =
  (settings: Pick<LifecycleSettings, "inactiveDays">): DueHandler =>
  async (deps, item) => {
    await startAccessReview(deps, item, settings);
  };
