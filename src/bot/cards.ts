import { approvalCardModel } from "../app/queries/approval-card";
import { reviewCardModel } from "../app/queries/review-card";
import type { AccessRequest, AccessReview, UserId } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import type { ApprovalNotice } from "../views/approval";
import { approvalCard } from "../views/approval-card";
import { type ReviewViewOptions, reviewView } from "../views/review";
import type { HandlerDeps } from "./turn";

/** The approval card of a request as `viewerId` should see it, from stored state. */
export async function approvalMessage(
  deps: HandlerDeps,
  request: AccessRequest,
  viewerId: UserId | undefined,
  notice?: ApprovalNotice,
): Promise<CardMessage> {
  return approvalCard(await approvalCardModel(deps, request), request, viewerId, notice);
}

/** A reviewer's card of a review, from stored state. */
export async function reviewMessage(
  deps: HandlerDeps,
  review: AccessReview,
  reviewerId: UserId,
  options: Omit<ReviewViewOptions, "since"> = {},
): Promise<CardMessage> {
  const model = await reviewCardModel(deps, review, reviewerId);
  return reviewView(model.ctx, review, reviewerId, {
    ...options,
    since: model.since,
    ...(model.principals ? { principals: model.principals } : {}),
  });
}
