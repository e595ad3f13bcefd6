import type { Assignment } from "../domain/model";
import { isBefore } from "../domain/time";
import type { EndingReview } from "../ports/notification-views";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, packageName } from "./context";
import { LIMITS, safeText } from "./text";
import { day, timeLeft, when } from "./time";

export interface ExpiryReminderOptions {
  problem?: string;
  reason?: string;
  title?: string;
  /**
   * A reviewer denied this access in a running access review (`reviewRemovingAccess`): it ends
   * when that review completes, so the reminder says so and offers no Extend.
   */
  endsWithReview?: EndingReview;
}

/** Reminder before the end of an assignment, with Extend when the policy allows it. */
export function expiryReminderView(
  ctx: ViewContext,
  assignment: Assignment,
  options: ExpiryReminderOptions = {},
): CardMessage {
  const name = packageName(ctx, assignment.packageId);
  const extension = ctx.index.policy(assignment.policyId)?.lifecycle.extension;
  const review = options.endsWithReview;
  const canExtend = !review && !!extension?.allowed && assignment.endAt !== undefined;
  // The access ends at the review's end unless its own end date comes first.
  const reviewEndsIt =
    review !== undefined && (assignment.endAt === undefined || isBefore(review.endAt, assignment.endAt));
  const endAt = reviewEndsIt ? review.endAt : assignment.endAt;
  const endsAt = reviewEndsIt
    ? `It ends when the access review completes, at ${when(endAt)} (${timeLeft(ctx.now, endAt)}).`
    : `It ends at ${when(endAt)} (${timeLeft(ctx.now, endAt)}).`;
  const note = review
    ? `It was denied in the access review of ${safeText(review.period, 40)}, so it can't be extended. Request it again after it ends if you still need it.`
    : canExtend
      ? ""
      : "This access can't be extended; request it again after it ends.";
  return {
    template: "expiry-reminder",
    summary: `${name} ends ${timeLeft(ctx.now, endAt)}`,
    data: {
      assignmentId: assignment.id,
      revision: assignment.revision,
      title: options.title ?? `Your access to ${name} ends soon`,
      endsAt,
      canExtend,
      extendNote: canExtend && extension?.requiresApproval ? "Extending asks the approvers again." : "",
      askReason: canExtend && !!extension?.requiresApproval,
      reason: options.reason?.slice(0, 1000) ?? "",
      problem: safeText(options.problem ?? "", LIMITS.short),
      note,
    },
  };
}

/**
 * What every copy of an expiry reminder shows once the assignment changed: the new end after an
 * extension, or that the access ended. No button is left on it.
 */
export function expiryClosedView(
  ctx: ViewContext,
  assignment: Assignment,
  change: "extended" | "expired" | "removed",
): CardMessage {
  const name = packageName(ctx, assignment.packageId);
  const title = {
    extended: `Extended: ${name}`,
    expired: `Your access to ${name} expired`,
    removed: `Your access to ${name} was removed`,
  }[change];
  const endsAt =
    change === "extended"
      ? assignment.endAt
        ? `Your access now lasts until ${day(assignment.endAt)} (${timeLeft(ctx.now, assignment.endAt)}).`
        : "Your access no longer ends."
      : `It ended at ${when(assignment.removedAt ?? assignment.endAt ?? assignment.updatedAt)}.`;
  return {
    template: "expiry-reminder",
    summary: title,
    data: {
      assignmentId: assignment.id,
      revision: assignment.revision,
      title,
      endsAt,
      canExtend: false,
      extendNote: "",
      askReason: false,
      reason: "",
      problem: "",
      note: change === "extended" ? "" : "You can request it again if you still need it.",
    },
  };
}
