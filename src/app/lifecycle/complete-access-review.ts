import { domainError } from "../../domain/errors";
import type { AccessReview } from "../../domain/model";
import { ok } from "../../domain/result";
import { completeReview } from "../../domain/reviews";
import { unchanged } from "../../domain/transition";
import type { AppDeps } from "../deps";
import { SCHEDULER_SOURCE, type DueHandler } from "../due-work";
import { nowIso } from "../shared/context";
import { applyEffects, auditRow, scheduleFirst } from "../shared/effects";
import { mutate } from "../shared/mutate";
import { endAssignment } from "./end-assignment";
import { scheduleNextReview } from "./schedule-reviews";

/**
 * `reviewEnd` (subject = review id): denied access is removed (overlap-safe), items nobody reviewed
 * follow the policy's "if no response", the review is closed and the next occurrence scheduled.
 * Removals (directory calls) run outside the compare-and-swap and before the review is saved as
 * completed, so a crash in between only repeats them and a lost race does not: the plan is made
 * again on the fresh review, and only removals it adds are carried out before saving again.
 */
export async function completeAccessReview(deps: AppDeps, reviewId: string): Promise<void> {
  const config = await deps.governance.load();
  const settingsOf = (review: AccessReview) =>
    config.policies.find((p) => p.id === review.policyId)?.lifecycle.review;
  const plan = (review: AccessReview) =>
    completeReview(review, { ifNoResponse: settingsOf(review)?.ifNoResponse ?? "keep" });
  const removed = new Set<string>();
  let known = await deps.reviews.get(reviewId);
  while (known) {
    for (const removal of plan(known.value).removals.filter((r) => !removed.has(r.assignmentId))) {
      await endAssignment(deps, {
        assignmentId: removal.assignmentId,
        cause: "review",
        reason: removal.reason,
        source: SCHEDULER_SOURCE,
      });
      removed.add(removal.assignmentId);
    }
    let stale = false;
    let removals = 0;
    const result = await mutate(
      deps.reviews,
      reviewId,
      domainError("REVIEW.ITEM_NOT_FOUND", "This access review no longer exists."),
      (review) => {
        const step = plan(review);
        stale = step.removals.some((r) => !removed.has(r.assignmentId));
        removals = step.removals.length;
        return ok(stale ? unchanged(review) : step);
      },
      known,
      (s) => scheduleFirst(deps, s),
    );
    if (!result.ok) return;
    if (stale) {
      known = await deps.reviews.get(reviewId);
      continue;
    }
    const { step } = result.value;
    if (!step.changed) return; // completed already
    const review = step.next;
    await applyEffects(
      deps,
      step,
      { actor: "system", source: SCHEDULER_SOURCE, packageId: review.packageId },
      () => [
        auditRow(deps, {
          actor: "system",
          action: "review.completed",
          subject: `review:${review.id}`,
          packageId: review.packageId,
          reason: `Access review ${review.period} ended: ${removals} of ${review.items.length} removed.`,
          source: SCHEDULER_SOURCE,
          details: { policyId: review.policyId, period: review.period, endedAt: nowIso(deps) },
        }),
      ],
    );
    const settings = settingsOf(review);
    if (settings) await scheduleNextReview(deps, review.policyId, settings, review.startAt);
    return;
  }
}

export const reviewEndHandler: DueHandler = (deps, item) => completeAccessReview(deps, item.subjectId);
