import { decideRemainingItems, decideReviewItem } from "../../app/lifecycle/decide-review-item";
import { auditRefusal } from "../../app/shared/effects";
import { principalsNow } from "../../app/delegation/in-force";
import { mayReviewItem } from "../../domain/delegation/delegation";
import { reviewForCards } from "../../app/queries/review-card";
import { reviewMessage } from "../cards";
import type { AccessReview } from "../../domain/model";
import type { DomainError } from "../../domain/errors";
import type { Result } from "../../domain/result";
import { LIMITS } from "../../domain/request/validate-request";
import { errorView } from "../../views/error";
import { type ReviewNotice, itemReasonInput } from "../../views/review";
import { type ActionAnswer, type ActionTurn, need } from "./execute";

const CARD_SOURCE = "card:review";

/** The reviewer's card as stored now, with a line on top when there is something to say. */
function cardFor(turn: ActionTurn, review: AccessReview, notice?: ReviewNotice, problem?: string) {
  return reviewMessage(turn.deps, review, turn.actorId, { notice, problem });
}

/**
 * Turns a refused decision into an answer. A reviewer sees their card again (with the problem, or
 * the ended review); anyone else gets the error card, and the refusal is audited.
 */
async function refused(turn: ActionTurn, reviewId: string, error: DomainError): Promise<ActionAnswer> {
  // A delegate of a reviewer counts as one for the items they may decide. Only the clicker's items
  // (and those of whom they stand in for) are read: all their card shows, and all that says whether
  // they review here; the header alone names the package for the audit.
  const principals = await principalsNow(turn.deps, turn.actorId);
  const review = (await turn.deps.reviews.getForReviewers(reviewId, [turn.actorId, ...principals]))?.value;
  const isReviewer = review?.items.some((i) => mayReviewItem(i, turn.actorId, principals)) ?? false;
  if (review && isReviewer) {
    if (error.code === "REVIEW.JUSTIFICATION_REQUIRED")
      return cardFor(turn, review, undefined, "A reason is required for review decisions.");
    if (error.code === "REVIEW.NOT_ACTIVE") return cardFor(turn, review, error.message);
    if (error.code === "CONCURRENCY.CONFLICT") return cardFor(turn, review, undefined, error.message);
  }
  await auditRefusal(turn.deps, {
    actor: turn.actorId,
    source: CARD_SOURCE,
    subject: `review:${reviewId}`,
    code: error.code,
    message: error.message,
    ...(review ? { packageId: review.packageId } : {}),
  });
  return errorView(error);
}

async function answer(
  turn: ActionTurn,
  reviewId: string,
  decided: Result<AccessReview, DomainError>,
): Promise<ActionAnswer> {
  return decided.ok ? cardFor(turn, decided.value) : refused(turn, reviewId, decided.error);
}

/**
 * Approve or Deny one item. The actor is the clicker; the use case checks they are a reviewer of
 * the item. A card that still offered buttons for an item another reviewer has decided since does
 * not overwrite that decision: the clicker sees who decided and when.
 */
export function reviewItemAction(outcome: "approve" | "deny") {
  return async (turn: ActionTurn): Promise<ActionAnswer> => {
    const reviewId = need(turn.data.id("reviewId"));
    const assignmentId = need(turn.data.id("assignmentId"));
    const itemReason = need(turn.data.text(itemReasonInput(assignmentId), LIMITS.justification));
    const justification = itemReason || need(turn.data.text("reviewReason", LIMITS.justification));
    // The clicker's items only: an item they may decide is among them, whatever the review's size.
    const stored = (await reviewForCards(turn.deps, reviewId, [turn.actorId]))?.value;
    const item = stored?.items.find((i) => i.assignmentId === assignmentId);
    if (
      stored &&
      item?.decision &&
      item.decision.by !== turn.actorId &&
      mayReviewItem(item, turn.actorId, await principalsNow(turn.deps, turn.actorId))
    ) {
      return cardFor(turn, stored, { alreadyDecidedItem: assignmentId });
    }
    const decided = await decideReviewItem(turn.deps, {
      actorId: turn.actorId,
      reviewId,
      assignmentId,
      outcome,
      justification,
      source: `${CARD_SOURCE}.${outcome}`,
    });
    return answer(turn, reviewId, decided);
  };
}

/** The bulk actions: every item of the reviewer's still undecided, by recommendation or all one way. */
export function remainingItemsAction(outcome: "approve" | "deny" | "recommendation") {
  const verb = {
    approve: "approveRemaining",
    deny: "denyRemaining",
    recommendation: "acceptRecommendations",
  }[outcome];
  return async (turn: ActionTurn): Promise<ActionAnswer> => {
    const reviewId = need(turn.data.id("reviewId"));
    const justification = need(turn.data.text("reviewReason", LIMITS.justification));
    const decided = await decideRemainingItems(turn.deps, {
      actorId: turn.actorId,
      reviewId,
      outcome,
      justification,
      source: `${CARD_SOURCE}.${verb}`,
    });
    return answer(turn, reviewId, decided);
  };
}
