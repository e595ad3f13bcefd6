import { domainError } from "../../domain/errors";
import type { AccessReview, UserId } from "../../domain/model";
import { ok } from "../../domain/result";
import { escalateReview, reviewEscalateAt } from "../../domain/reviews";
import type { Step } from "../../domain/transition";
import { SCHEDULER_SOURCE, type DueHandler } from "../due-work";
import { loadIndex, nowIso } from "../shared/context";
import { applyEffects, type JournaledStep, scheduleFirst } from "../shared/effects";
import type { JournaledRow } from "../shared/journal";
import { mutate } from "../shared/mutate";
import { resolveFallbackReviewers, type GroupCache } from "./resolve-reviewers";

/** The audit row of an escalation: who was added to which items, and why. */
function escalatedRow(step: Step<AccessReview>, days: number): JournaledRow[] {
  const event = step.events.find((e) => e.type === "ReviewEscalated");
  if (!event || event.type !== "ReviewEscalated") return [];
  return [
    {
      actor: "system",
      action: "review.escalated",
      subject: `review:${step.next.id}`,
      packageId: step.next.packageId,
      source: SCHEDULER_SOURCE,
      reason: `Nobody decided ${event.assignmentIds.length} item(s) within ${days} day(s); the fallback reviewers were added.`,
      details: { reviewers: event.reviewerIds.join(","), assignments: event.assignmentIds.join(",") },
    },
  ];
}

/**
 * `reviewEscalation` (subject = review id): `escalateAfterDays` after the start, the policy's
 * fallback reviewers join the items nobody decided yet and get the review ("if the manager is on
 * leave or doesn't respond"). Reviewers are resolved before the compare-and-swap; the change, its
 * audit row and its cards are journaled before the review is saved. Once per review.
 */
export const reviewEscalationHandler: DueHandler = async (deps, item) => {
  const stored = await deps.reviews.get(item.subjectId);
  if (!stored || stored.value.state !== "inProgress" || stored.value.escalatedAt) return;
  const review = stored.value;
  const index = await loadIndex(deps);
  const settings = index.policy(review.policyId)?.lifecycle.review;
  // Settings changed since the review started (escalation off, no fallback): nothing to do.
  const escalateAt = settings ? reviewEscalateAt(review, settings) : undefined;
  if (!settings || !escalateAt) return;
  const groups: GroupCache = new Map();
  const fallback: Record<string, UserId[]> = {};
  for (const it of review.items) {
    if (!it.decision)
      fallback[it.assignmentId] = await resolveFallbackReviewers(deps, index, settings, it.userId, groups);
  }
  const days = settings.escalateAfterDays ?? 0;
  const result = await mutate(
    deps.reviews,
    review.id,
    domainError("REVIEW.ITEM_NOT_FOUND", "This access review no longer exists."),
    (current) => ok(escalateReview(current, fallback, escalateAt, nowIso(deps))),
    stored,
    (s) => scheduleFirst(deps, s, escalatedRow(s, days)),
  );
  if (!result.ok || !result.value.step.changed) return;
  const step = result.value.step as JournaledStep<Step<AccessReview>>;
  await applyEffects(
    deps,
    step,
    { actor: "system", source: SCHEDULER_SOURCE, packageId: review.packageId },
    () => step.batch?.rows ?? [],
  );
  deps.logger.info({ reviewId: review.id, items: Object.keys(fallback).length }, "access review escalated");
};
