import type { AccessReview, Instant, ReviewItem } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, packageName } from "./context";
import { LIMITS, safeText } from "./text";
import { day, timeLeft, when } from "./time";
import { reviewerItems } from "../domain/reviews/reviewer-items";

const MAX_ITEMS = 20;

/**
 * A line above the items. `alreadyDecidedItem`: the assignment id of an item another reviewer
 * decided (who, when and why are read from the review); `reminder`: when the review ends; a string
 * is plain text, made safe here.
 */
export type ReviewNotice = string | { alreadyDecidedItem: string } | { reminder: true };

export interface ReviewViewOptions {
  /** A line above the items: "Reminder: …", "Already decided. …". */
  notice?: ReviewNotice;
  /** What the reviewer must fix (a missing reason), shown in attention colour. */
  problem?: string;
  /** When each assignment started, by assignment id ("since" on the card). */
  since?: ReadonlyMap<string, Instant>;
  /** The reviewers whose delegation to the viewer is in force: their items are on the viewer's card. */
  principals?: readonly string[];
}

/** "Denied by Megan Bowen at T: reason", plus what was done when the review ended. */
export function reviewDecisionText(ctx: ViewContext, item: ReviewItem): string {
  const applied = item.applied ? ` Access ${item.applied}.` : "";
  if (!item.decision) return item.applied ? `Not reviewed.${applied}` : "";
  const { outcome, by, onBehalfOf, at, justification } = item.decision;
  const reason = justification ? `: ${safeText(justification, LIMITS.short)}` : "";
  // A delegate's decision: "Approved by Diego Siciliani for Megan Bowen".
  const who = onBehalfOf ? `${nameOf(ctx, by)} for ${nameOf(ctx, onBehalfOf)}` : nameOf(ctx, by);
  return `${outcome === "approve" ? "Approved" : "Denied"} by ${who} at ${when(at)}${reason}.${applied}`;
}

/** The notice as card text: names and reasons escaped once, times as date macros. */
function noticeText(ctx: ViewContext, review: AccessReview, notice?: ReviewNotice): string {
  if (notice === undefined) return "";
  if (typeof notice === "string") return safeText(notice, LIMITS.short);
  if ("reminder" in notice)
    return `Reminder: this review ends ${when(review.endAt)} (${timeLeft(ctx.now, review.endAt)}).`;
  const item = review.items.find((i) => i.assignmentId === notice.alreadyDecidedItem);
  return item?.decision ? `Already decided. ${reviewDecisionText(ctx, item)}` : "";
}

function recommendationText(item: ReviewItem): string {
  // No data is said as such: Accept recommendations leaves these items for the reviewer to decide.
  if (item.recommendation === "none")
    return item.recommendationReason ? `No recommendation (${safeText(item.recommendationReason, 120)})` : "";
  const verb = item.recommendation === "approve" ? "approve" : "deny";
  return `Recommended: ${verb} (${safeText(item.recommendationReason, 120)})`;
}

/** The fields a reviewer's reason input is read from: one per item. */
export const itemReasonInput = (assignmentId: string): string => `reason_${assignmentId}`;

/**
 * A reviewer's items of one access review, from stored state: Approve/Deny with a reason on each
 * undecided item, decided items show who decided and when, and bulk actions for the rest.
 */
export function reviewView(
  ctx: ViewContext,
  review: AccessReview,
  reviewerId: string,
  options: ReviewViewOptions = {},
): CardMessage {
  const principals = options.principals ?? [];
  const mine = reviewerItems(review, reviewerId, principals);
  // The people away whose items this card holds: "You review for Megan Bowen while they are away."
  const standingIn = principals.filter((p) =>
    mine.some((i) => !i.reviewers.includes(reviewerId) && i.reviewers.includes(p)),
  );
  const active = review.state === "inProgress";
  const undecided = mine.filter((i) => !i.decision);
  const name = packageName(ctx, review.packageId);
  const reasonRequired = ctx.index.policy(review.policyId)?.lifecycle.review?.justificationRequired ?? false;
  const removed = mine.filter((i) => i.applied === "removed").length;
  const delegated =
    active && standingIn.length > 0
      ? ` You review for ${standingIn.map((p) => nameOf(ctx, p)).join(", ")} while they are away.`
      : "";
  const status = active
    ? `${undecided.length} of ${mine.length} left to review, ${timeLeft(ctx.now, review.endAt)} (ends ${when(review.endAt)}).${delegated}`
    : `This review ended at ${when(review.endAt)}: ${mine.length - removed} kept, ${removed} removed.`;
  return {
    template: "review",
    summary: active
      ? `Access review: ${name} (${undecided.length} to review)`
      : `Access review completed: ${name}`,
    data: {
      reviewId: review.id,
      revision: review.revision,
      title: `Access review: ${name}`,
      period: safeText(review.period, 40),
      status,
      notice: noticeText(ctx, review, options.notice),
      problem: safeText(options.problem ?? "", LIMITS.short),
      more: mine.length > MAX_ITEMS ? `Showing ${MAX_ITEMS} of ${mine.length}.` : "",
      // The rule is checked when a decision arrives, not by the client: a reason may come from the
      // item's input or the bulk one, and Accept recommendations needs none, so no input is
      // isRequired and no label says "required".
      reasonLabel: reasonRequired ? "Reason (needed to approve or deny)" : "Reason (optional)",
      bulkReasonLabel: reasonRequired ? "Reason (needed for Approve all and Deny all)" : "Reason (optional)",
      bulk: active && undecided.length > 0,
      canAcceptRecommendations: active && undecided.some((i) => i.recommendation !== "none"),
      items: mine.slice(0, MAX_ITEMS).map((i) => {
        const since = options.since?.get(i.assignmentId);
        return {
          assignmentId: i.assignmentId,
          userName: i.userId === reviewerId ? "You" : nameOf(ctx, i.userId),
          since: since ? `Has had it since ${day(since)}` : "",
          recommendation: recommendationText(i),
          decision: reviewDecisionText(ctx, i),
          actionable: active && !i.decision,
          reasonId: itemReasonInput(i.assignmentId),
        };
      }),
    },
  };
}
