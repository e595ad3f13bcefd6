import { randomUUID } from "node:crypto";
import { viewRequest } from "../../app/queries/requests";
import { reviewForCards } from "../../app/queries/review-card";
import type { CardMessage } from "../../ports/notifier";
import { unexpectedErrorView } from "../../views/error";
import { requestStatusView } from "../../views/request";
import { approvalMessage, reviewMessage } from "../cards";
import type { CardData } from "../card-data";
import type { HandlerDeps } from "../turn";

const stillUnknown = (reference: string) =>
  `Something went wrong on our side (reference ${reference}). This card shows what is stored now: ` +
  "check it before trying again.";

/**
 * A click that failed unexpectedly may have been saved or not (the error can come after the save).
 * Never claim "nothing was changed": reload what the card is about and show it as stored, with a
 * line saying what happened; only when even that fails, say the outcome is unknown.
 */
export async function afterUnexpected(
  deps: HandlerDeps,
  actorId: string,
  data: CardData | undefined,
  error: unknown,
  what: string,
): Promise<CardMessage> {
  const reference = randomUUID().slice(0, 8);
  deps.logger.error({ err: error, correlationId: reference, what }, "unexpected error in a card action");
  try {
    const requestId = data?.optionalId("requestId");
    if (requestId?.ok && requestId.value) {
      const view = await viewRequest(deps, actorId, requestId.value);
      if (view) {
        const approver = view.request.stages.some(
          (s) => s.approvers.includes(actorId) || s.escalationApprovers.includes(actorId),
        );
        return approver
          ? await approvalMessage(deps, view.request, actorId, stillUnknown(reference))
          : requestStatusView(view.ctx, view.request, actorId);
      }
    }
    const reviewId = data?.optionalId("reviewId");
    if (reviewId?.ok && reviewId.value) {
      // The actor's card: their items and those of whom they stand in for, not the whole review.
      const review = (await reviewForCards(deps, reviewId.value, [actorId]))?.value;
      if (review?.items.some((i) => i.reviewers.includes(actorId)))
        return await reviewMessage(deps, review, actorId, { notice: stillUnknown(reference) });
    }
  } catch (reload) {
    deps.logger.warn({ err: reload, correlationId: reference }, "could not reload the card after an error");
  }
  return unexpectedErrorView(reference);
}
