import type { AccessReview } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, packageName } from "./context";
import { LIMITS, safeText } from "./text";
import { timeLeft, when } from "./time";

const MAX_ITEMS = 20;

/** A reviewer's items of one access review: Approve/Deny each, or accept every recommendation at once. */
export function reviewView(ctx: ViewContext, review: AccessReview, reviewerId: string): CardMessage {
  const mine = review.items.filter((i) => i.reviewers.includes(reviewerId));
  const active = review.state === "inProgress";
  const undecided = mine.filter((i) => !i.decision);
  const name = packageName(ctx, review.packageId);
  return {
    template: "review",
    summary: `Access review: ${name} (${undecided.length} to review)`,
    data: {
      reviewId: review.id,
      revision: review.revision,
      title: `Access review: ${name}`,
      period: safeText(review.period, 40),
      status: active
        ? `${undecided.length} of ${mine.length} left to review, ${timeLeft(ctx.now, review.endAt)} (ends ${when(review.endAt)})`
        : "This review is completed.",
      canBulk: active && undecided.some((i) => i.recommendation !== "none"),
      more: mine.length > MAX_ITEMS ? `Showing ${MAX_ITEMS} of ${mine.length}.` : "",
      items: mine.slice(0, MAX_ITEMS).map((i) => ({
        assignmentId: i.assignmentId,
        userName: i.userId === reviewerId ? "You" : nameOf(ctx, i.userId),
        recommendation:
          i.recommendation === "none"
            ? ""
            : `Recommended: ${i.recommendation === "approve" ? "keep" : "remove"} (${safeText(i.recommendationReason, 120)})`,
        decision: i.decision
          ? `${i.decision.outcome === "approve" ? "Kept" : "Removed"} by ${nameOf(ctx, i.decision.by)} at ${when(i.decision.at)}${
              i.decision.justification ? `: ${safeText(i.decision.justification, LIMITS.short)}` : ""
            }`
          : "",
        actionable: active && !i.decision,
      })),
    },
  };
}
