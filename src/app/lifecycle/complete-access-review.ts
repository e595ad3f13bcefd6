import { completeReview } from "../../domain/reviews";
import type { DueHandler } from "../../scheduler/handlers";
import type { AppDeps } from "../deps";
import { endAssignment } from "./end-assignment";
import { scheduleNextReview } from "./schedule-reviews";
import { audit, nowIso, retryOnConflict, SCHEDULER_SOURCE } from "./support";

/**
 * `reviewEnd` (subject = review id): denied access is removed (overlap-safe), items nobody reviewed
 * follow the policy's "if no response", the review is closed and the next occurrence scheduled.
 * Removals run before the review is saved as completed, so a crash in between only repeats them.
 */
export async function completeAccessReview(deps: AppDeps, reviewId: string): Promise<void> {
  const config = await deps.governance.load();
  const removed = await retryOnConflict(async () => {
    const stored = await deps.reviews.get(reviewId);
    if (!stored) return undefined;
    const settings = config.policies.find((p) => p.id === stored.value.policyId)?.lifecycle.review;
    const plan = completeReview(stored.value, { ifNoResponse: settings?.ifNoResponse ?? "keep" });
    if (!plan.changed) return undefined;
    for (const removal of plan.removals) {
      await endAssignment(deps, {
        assignmentId: removal.assignmentId,
        cause: "review",
        reason: removal.reason,
        source: SCHEDULER_SOURCE,
      });
    }
    await deps.reviews.update(plan.next, stored.etag);
    return plan;
  });
  if (!removed) return;
  const review = removed.next;
  const settings = config.policies.find((p) => p.id === review.policyId)?.lifecycle.review;
  await audit(deps, {
    actor: "system",
    action: "review.completed",
    subject: `review:${review.id}`,
    packageId: review.packageId,
    reason: `Access review ${review.period} ended: ${removed.removals.length} of ${review.items.length} removed.`,
    source: SCHEDULER_SOURCE,
    details: { policyId: review.policyId, period: review.period, endedAt: nowIso(deps) },
  });
  await deps.events.publish(removed.events);
  if (settings) await scheduleNextReview(deps, review.policyId, settings, review.startAt);
}

export const reviewEndHandler: DueHandler = (deps, item) => completeAccessReview(deps, item.subjectId);
