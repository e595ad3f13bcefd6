import type { AccessRequest, AccessReview, Assignment, Instant, UserId } from "../domain/model";
import { grantsFailedForGood } from "../domain/assignment/failed-grants";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, namesOf, packageName, resourceLine } from "./context";
import { LIMITS, safeText } from "./text";
import { day, when } from "./time";

/**
 * "You now have X until T", listing what was granted and what is still missing. A grant that failed
 * for good is said so (the catalog owners were told), never "Access Desk keeps retrying".
 */
export function deliveredView(ctx: ViewContext, assignment: Assignment, viewer?: UserId): CardMessage {
  const name = packageName(ctx, assignment.packageId);
  // Someone who asked on the holder's behalf (or assigned it) reads about the holder, not "you".
  const holder =
    viewer !== undefined && viewer !== assignment.userId ? nameOf(ctx, assignment.userId) : undefined;
  const until = assignment.endAt ? `until ${day(assignment.endAt)}` : "with no end date";
  const granted = assignment.resources.some((r) => r.status === "granted");
  const missing = assignment.resources.some((r) => r.status !== "granted");
  const gaveUp = grantsFailedForGood(assignment).length > 0;
  const title = !missing
    ? holder
      ? `${holder} now has ${name}`
      : `You now have ${name}`
    : granted
      ? `${name} is partly ready${holder ? ` for ${holder}` : ""}`
      : `${name} isn't ready${holder ? ` for ${holder}` : ""}`;
  const partialNote = !missing
    ? ""
    : gaveUp
      ? "Some resources could not be granted. The catalog owners have been told and can try again; you can also ask for the access again."
      : "Some resources could not be granted yet; Access Desk keeps retrying.";
  return {
    template: "delivered",
    summary: title,
    data: {
      assignmentId: assignment.id,
      title,
      subtitle: granted ? `Access ${until}.${verifiedNote(assignment)}` : "Nothing has been granted.",
      partialNote,
      resources: assignment.resources.slice(0, 20).map((r) => ({
        ...resourceLine(r.role),
        status:
          r.status === "granted"
            ? r.verifiedAt
              ? "Granted, verified"
              : "Granted"
            : r.status === "failed"
              ? r.nextAttemptAt
                ? "Not yet"
                : "Failed"
              : "Pending",
      })),
    },
  };
}

/** Every grant was read back from the directory and found: the card says "verified". */
function verifiedNote(assignment: Assignment): string {
  const granted = assignment.resources.filter((r) => r.status === "granted");
  return granted.length > 0 && granted.every((r) => r.verifiedAt) ? " Verified in the directory." : "";
}

export type RequestEnding = "denied" | "expired" | "canceled";

/** The requester's notice that a request ended without access, with the reason. */
export function requestEndedView(
  ctx: ViewContext,
  request: AccessRequest,
  by?: UserId | "system",
): CardMessage {
  const name = packageName(ctx, request.packageId);
  const ending = (
    ["denied", "expired", "canceled"].includes(request.state) ? request.state : "denied"
  ) as RequestEnding;
  const decided = [...request.stages].reverse().find((s) => s.decision)?.decision;
  const who = by ?? decided?.by ?? (ending === "canceled" ? request.requesterId : "system");
  const title = {
    denied: `Request denied: ${name}`,
    expired: `Request expired: ${name}`,
    canceled: `Request canceled: ${name}`,
  }[ending];
  const byLine =
    ending === "expired"
      ? "Nobody decided before the decision window ended."
      : `${ending === "denied" ? "Denied" : "Canceled"} by ${nameOf(ctx, who)} at ${when(request.updatedAt)}.`;
  const reason = safeText(request.outcomeReason ?? decided?.justification ?? "", LIMITS.short);
  return {
    template: "denied",
    summary: title,
    data: {
      requestId: request.id,
      title,
      byLine,
      reason: reason ? `Reason: ${reason}` : "",
      forLine: request.requesterId !== request.targetUserId ? `For ${nameOf(ctx, request.targetUserId)}` : "",
    },
  };
}

/** A small notice: a title and a few lines (stage approved, extended, removed). */
export function noticeView(
  title: string,
  lines: string[],
  style: "good" | "attention" | "default" = "default",
): CardMessage {
  return {
    template: "notice",
    summary: title,
    data: {
      title,
      style,
      lines: lines
        .filter(Boolean)
        .slice(0, 6)
        .map((text) => ({ text })),
    },
  };
}

/** Told to the requester after a stage approves: who decided and who is next. */
export function stageApprovedView(
  ctx: ViewContext,
  request: AccessRequest,
  stageNumber: number,
): CardMessage {
  const stage = request.stages[stageNumber - 1];
  const next = request.currentStage !== undefined ? request.stages[request.currentStage] : undefined;
  const nextLine =
    next && !next.decision && next.index !== stage?.index
      ? `Next: ${namesOf(ctx, next.approvers)} (stage ${next.index + 1}).`
      : "";
  return noticeView(
    `Stage ${stageNumber} approved: ${packageName(ctx, request.packageId)}`,
    [
      stage?.decision ? `Approved by ${nameOf(ctx, stage.decision.by)} at ${when(stage.decision.at)}.` : "",
      nextLine,
    ],
    "good",
  );
}

/** Told to the user when access ends. */
export function accessEndedView(ctx: ViewContext, assignment: Assignment): CardMessage {
  const name = packageName(ctx, assignment.packageId);
  const expired = assignment.state === "expired";
  return noticeView(
    expired ? `Your access expired: ${name}` : `Your access was removed: ${name}`,
    [
      expired ? `It ended at ${when(assignment.endAt ?? assignment.updatedAt)}.` : "",
      !expired && assignment.removalReason
        ? `Reason: ${safeText(assignment.removalReason, LIMITS.short)}`
        : "",
      "You can request it again if you still need it.",
    ],
    "attention",
  );
}

export { expiryReminderView } from "./expiry";

/** A compact channel line: who got or lost what. */
export function channelNoticeView(
  ctx: ViewContext,
  assignment: Assignment,
  change: "granted" | "removed" | "expired",
): CardMessage {
  const who = nameOf(ctx, assignment.userId);
  const name = packageName(ctx, assignment.packageId);
  const text = {
    granted: `${who} got ${name}${assignment.endAt ? ` until ${day(assignment.endAt)}` : ""}`,
    removed: `${who} no longer has ${name} (removed)`,
    expired: `${who} no longer has ${name} (expired)`,
  }[change];
  return {
    template: "channel-notice",
    summary: {
      granted: `${who} got ${name}`,
      removed: `${who} lost ${name}`,
      expired: `${who} lost ${name}`,
    }[change],
    data: { text, icon: change === "granted" ? "good" : "attention", at: when(ctx.now) },
  };
}

/** Told to the requester when an approved request waits for the start they picked. */
export function scheduledView(ctx: ViewContext, request: AccessRequest, startAt: Instant): CardMessage {
  return noticeView(
    `Approved: ${packageName(ctx, request.packageId)}`,
    [`Your access starts ${day(startAt)}.`],
    "good",
  );
}

/** Told to the holder after an extension. */
export function extendedView(ctx: ViewContext, assignment: Assignment): CardMessage {
  return noticeView(
    `Extended: ${packageName(ctx, assignment.packageId)}`,
    [
      assignment.endAt
        ? `Your access now lasts until ${day(assignment.endAt)}.`
        : "Your access no longer ends.",
    ],
    "good",
  );
}

/** Told to each reviewer when a review ends: what their part of it did. */
export function reviewCompletedView(ctx: ViewContext, review: AccessReview, reviewerId: UserId): CardMessage {
  const name = packageName(ctx, review.packageId);
  const mine = review.items.filter((i) => i.reviewers.includes(reviewerId));
  const removed = mine.filter((i) => i.applied === "removed").length;
  const open = mine.filter((i) => !i.decision).length;
  return noticeView(`Access review completed: ${name}`, [
    `Period ${review.period}: ${mine.length - removed} kept, ${removed} removed.`,
    open > 0 ? `${open} nobody reviewed followed the policy's rule for no response.` : "",
    `Type "review results for ${name}" to see who decided what.`,
  ]);
}

/** Told to catalog owners when a notice about their package could not reach someone, for good. */
export function undeliverableView(
  ctx: ViewContext,
  personId: UserId,
  packageId: string,
  reason: string,
): CardMessage {
  const who = nameOf(ctx, personId);
  return noticeView(
    `Couldn't reach ${who}: ${packageName(ctx, packageId)}`,
    [
      `A notice about ${packageName(ctx, packageId)} could not be delivered: ${safeText(reason, LIMITS.short)}.`,
      `Ask ${who} to add Access Desk in Teams; what the notice said is in their "my requests" and "my access".`,
    ],
    "attention",
  );
}
