import type { TurnContext } from "botbuilder";
import { listReviewResults } from "../../app/lifecycle/review-results";
import { subjects } from "../../app/notify/subjects";
import { reviewMessage } from "../cards";
import { loadViewContext } from "../../app/queries/view-context";
import type { UserId } from "../../domain/model";
import { matchPackages } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { packageName } from "../../views/context";
import { noticeView } from "../../views/notices";
import { reviewResultsView } from "../../views/review-results";
import type { HandlerDeps } from "../turn";
import { resolveReviewPeriod } from "./review-period";
import { principalsNow } from "../../app/delegation/in-force";
import { mayReviewItem } from "../../domain/delegation/delegation";

const MAX_REVIEW_CARDS = 3;

/**
 * "my reviews": one card per access review in progress with items the person must review, or may
 * review for someone who delegated to them.
 */
export async function myReviewCards(deps: HandlerDeps, actorId: UserId): Promise<CardMessage[]> {
  const principals = await principalsNow(deps, actorId);
  // Each review read with the items of all of them, so whichever list it comes from it shows the same.
  const lists = await Promise.all(
    [actorId, ...principals].map((id) => deps.reviews.listActiveForReviewer(id, [actorId, ...principals])),
  );
  const reviews = [...new Map(lists.flat().map((r) => [r.id, r])).values()].filter((r) =>
    r.items.some((i) => mayReviewItem(i, actorId, principals)),
  );
  if (reviews.length === 0)
    return [noticeView("No access reviews for you", ["Nothing is waiting for your review."])];
  const cards = await Promise.all(
    reviews.slice(0, MAX_REVIEW_CARDS).map((r) => reviewMessage(deps, r, actorId)),
  );
  if (reviews.length > MAX_REVIEW_CARDS) {
    cards.push(noticeView("More reviews", [`${reviews.length - MAX_REVIEW_CARDS} more are waiting.`]));
  }
  return cards;
}

/**
 * A review card sent into a chat is remembered under the reviewer's subject, so it is re-rendered
 * with every later decision like the copy the bot sent on its own.
 */
export async function rememberReviewCard(
  deps: HandlerDeps,
  context: TurnContext,
  actorId: UserId,
  card: CardMessage,
  activityId: string | undefined,
): Promise<void> {
  const reviewId = card.template === "review" ? card.data.reviewId : undefined;
  const conversationId = context.activity.conversation?.id;
  if (typeof reviewId !== "string" || !activityId || !conversationId) return;
  await deps.conversations.rememberCard({
    subject: subjects.review(reviewId, actorId),
    userId: actorId,
    conversationId,
    activityId,
  });
}

/**
 * "review results for Business Analyst, October": the newest review of the package in that period
 * (or the newest of all). Catalog owners see every item; a reviewer sees the items they reviewed.
 */
export async function reviewResultsAnswer(
  deps: HandlerDeps,
  actorId: UserId,
  query: string,
  period?: string,
): Promise<CardMessage> {
  const ctx0 = await loadViewContext(deps, []);
  const candidates = ctx0.index
    .packages()
    .map((p) => ({ package: { ...p, hidden: false }, catalogName: "", resourceNames: [] }));
  const pkg = query ? matchPackages(query, candidates)[0]?.package : undefined;
  if (!pkg) {
    return noticeView("Which package?", [
      'Name the access package, e.g. "review results for Business Analyst, October".',
    ]);
  }
  const label = period ? resolveReviewPeriod(period, deps.clock.now()) : undefined;
  if (period && !label)
    return noticeView("Which month?", ['Name a month, e.g. "October", "2026-10" or "last month".']);
  const result = (await listReviewResults(deps, pkg.id, label))[0];
  const name = packageName(ctx0, pkg.id);
  if (!result) {
    return noticeView(`No access review results: ${name}`, [
      label ? `There was no review of it in ${label}.` : "It has not been reviewed yet.",
    ]);
  }
  const owner = ctx0.index.catalogOfPackage(pkg.id)?.owners.includes(actorId) ?? false;
  const items = owner ? result.items : result.items.filter((i) => i.reviewers.includes(actorId));
  if (items.length === 0) {
    return noticeView(`No access review results for you: ${name}`, [
      "Results are shown to the package's catalog owners and, for their own items, to the reviewers.",
    ]);
  }
  const ctx = await loadViewContext(
    deps,
    items.flatMap((i) => [i.userId, i.decidedBy]),
  );
  return reviewResultsView(ctx, pkg.id, result, items, owner ? "all" : "reviewed");
}
