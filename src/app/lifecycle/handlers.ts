import type { GovernanceConfig, Instant } from "../../domain/model";
import { mergeHandlers, type DueHandlers } from "../due-work";
import { requestDeadlineHandlers } from "../handle-request-deadline";
import type { AppDeps } from "../deps";
import { autoAssignmentEvaluateHandler, scheduleAutoAssignment } from "./auto-assignment";
import { autoAssignmentGraceHandler } from "./auto-assignment-grace";
import { reviewEndHandler } from "./complete-access-review";
import { expiryHandler, expiryReminderHandler } from "./expiry";
import { reviewReminderHandler } from "./remind-reviewers";
import { reviewEscalationHandler } from "./escalate-review";
import { removalRetryHandler } from "../removal/retry-removal";
import { reconcileAccessHandler, scheduleReconciliation } from "../reconcile/reconcile-access";
import { scheduleReviews } from "./schedule-reviews";
import { DEFAULT_LIFECYCLE_SETTINGS, type LifecycleSettings } from "./settings";
import { reviewStartHandler } from "./start-access-review";

/**
 * Handlers of the due work that keeps access in shape over time: expiry (and the retried revokes
 * of ended access), reviews, auto-assignment.
 */
export function createLifecycleHandlers(
  settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS,
): DueHandlers {
  return {
    expiryReminder: expiryReminderHandler,
    expiry: expiryHandler,
    removalRetry: removalRetryHandler,
    reviewStart: reviewStartHandler(settings),
    reviewReminder: reviewReminderHandler,
    reviewEnd: reviewEndHandler,
    reviewEscalation: reviewEscalationHandler,
    autoAssignmentGrace: autoAssignmentGraceHandler,
    autoAssignmentEvaluate: autoAssignmentEvaluateHandler(settings),
    reconcileAccess: reconcileAccessHandler(settings.reconcileIntervalHours),
  };
}

/** Every kind of due work: request deadlines (approvals, scheduled starts, delivery) plus lifecycle. */
export function createDueHandlers(settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS): DueHandlers {
  return mergeHandlers(requestDeadlineHandlers, createLifecycleHandlers(settings));
}

/**
 * The recurring work the governance configuration implies: the next review of each reviewed
 * policy, the evaluation of each auto-assignment policy, and the reconciliation sweep.
 * Idempotent; call at startup and after every governance apply.
 */
export async function scheduleLifecycle(
  deps: Pick<AppDeps, "due">,
  config: GovernanceConfig,
  now: Instant,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS,
): Promise<void> {
  await scheduleReviews(deps, config, now);
  await scheduleAutoAssignment(deps, config, now, settings);
  await scheduleReconciliation(deps, now, settings.reconcileIntervalHours);
}
