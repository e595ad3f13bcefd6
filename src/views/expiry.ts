import type { Assignment } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, packageName } from "./context";
import { LIMITS, safeText } from "./text";
import { day, timeLeft, when } from "./time";

export interface ExpiryReminderOptions {
  problem?: string;
  reason?: string;
  title?: string;
}

/** Reminder before the end of an assignment, with Extend when the policy allows it. */
export function expiryReminderView(
  ctx: ViewContext,
  assignment: Assignment,
  options: ExpiryReminderOptions = {},
): CardMessage {
  const name = packageName(ctx, assignment.packageId);
  const extension = ctx.index.policy(assignment.policyId)?.lifecycle.extension;
  const canExtend = !!extension?.allowed && assignment.endAt !== undefined;
  return {
    template: "expiry-reminder",
    summary: `${name} ends ${timeLeft(ctx.now, assignment.endAt)}`,
    data: {
      assignmentId: assignment.id,
      revision: assignment.revision,
      title: options.title ?? `Your access to ${name} ends soon`,
      endsAt: `It ends at ${when(assignment.endAt)} (${timeLeft(ctx.now, assignment.endAt)}).`,
      canExtend,
      extendNote: canExtend && extension?.requiresApproval ? "Extending asks the approvers again." : "",
      askReason: canExtend && !!extension?.requiresApproval,
      reason: options.reason?.slice(0, 1000) ?? "",
      problem: safeText(options.problem ?? "", LIMITS.short),
      note: canExtend ? "" : "This access can't be extended; request it again after it ends.",
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
