import { decideRemainingItems, decideReviewItem } from "../../app/lifecycle/decide-review-item";
import { loadViewContext } from "../../adapters/teams/view-context";
import type { AccessReview } from "../../domain/model";
import { LIMITS } from "../../domain/request/validate-request";
import { errorView } from "../../views/error";
import { reviewView } from "../../views/review";
import { type ActionAnswer, type ActionTurn, need } from "./execute";

async function view(turn: ActionTurn, review: AccessReview) {
  const ids = review.items.flatMap((i) => [i.userId, i.decision?.by]);
  return reviewView(await loadViewContext(turn.deps, [turn.actorId, ...ids]), review, turn.actorId);
}

/** Approve or Deny one item of an access review. */
export function reviewItemAction(outcome: "approve" | "deny") {
  return async (turn: ActionTurn): Promise<ActionAnswer> => {
    const reviewId = need(turn.data.id("reviewId"));
    const assignmentId = need(turn.data.id("assignmentId"));
    const justification = need(turn.data.text("reviewReason", LIMITS.justification));
    const decided = await decideReviewItem(turn.deps, {
      actorId: turn.actorId,
      reviewId,
      assignmentId,
      outcome,
      justification,
      source: `card:review.${outcome}`,
    });
    return decided.ok ? view(turn, decided.value) : errorView(decided.error);
  };
}

/** The bulk action: accept the recommendation of every item still undecided. */
export async function acceptRecommendationsAction(turn: ActionTurn): Promise<ActionAnswer> {
  const reviewId = need(turn.data.id("reviewId"));
  const justification = need(turn.data.text("reviewReason", LIMITS.justification));
  const decided = await decideRemainingItems(turn.deps, {
    actorId: turn.actorId,
    reviewId,
    outcome: "recommendation",
    justification,
    source: "card:review.acceptRecommendations",
  });
  return decided.ok ? view(turn, decided.value) : errorView(decided.error);
}
