import type { Application, TurnState } from "@microsoft/teams-ai";
import { MENU_ITEMS, type MenuItem, welcomeView } from "../../views/welcome";
import { errorView } from "../../views/error";
import { renderCard } from "../../views/render";
import { answerMenu } from "../messages";
import { rememberReviewCard } from "../answers/reviews";
import { type HandlerDeps, actorOf, answerInvoke, sendCard } from "../turn";
import { holdersCsvAction, holdersPageAction } from "./admin";
import { decideAction, openApproval, refreshApproval } from "./approval";
import { extendAction, removeAction } from "./assignment";
import { registerStepUp } from "../step-up/handlers";
import { digestDecideAction, digestSelectedAction, refreshDigest } from "./digest";
import { type ActionTurn, need, onAction } from "./execute";
import { auditInvalidAction } from "../card-data";
import { reprocessAction, retryRemovalAction } from "./owner";
import {
  cancelAction,
  requestFormAction,
  showPackageAction,
  showRequestAction,
  submitAction,
} from "./request";
import { remainingItemsAction, reviewItemAction } from "./review";

/** A welcome-card button: its answer comes as new messages; the welcome card stays. */
async function menuAction(turn: ActionTurn) {
  const item = need(turn.data.id("item"));
  if (!MENU_ITEMS.includes(item as MenuItem))
    need({ ok: false, error: { code: "CARD.INVALID", message: "Unknown menu item." } });
  for (const card of await answerMenu(turn.deps, turn.actorId, item as MenuItem))
    await rememberReviewCard(turn.deps, turn.context, turn.actorId, card, await sendCard(turn.context, card));
  return welcomeView(turn.context.activity.from?.name);
}

/** Every Action.Execute verb the cards use (docs/cards.md lists them with their data). */
export function registerActions<TState extends TurnState>(app: Application<TState>, deps: HandlerDeps): void {
  onAction(app, deps, "approval.approve", decideAction("approve"));
  onAction(app, deps, "approval.deny", decideAction("deny"));
  onAction(app, deps, "approval.refresh", refreshApproval);
  onAction(app, deps, "approval.open", openApproval);
  registerStepUp(app, deps);
  onAction(app, deps, "digest.approve", digestDecideAction("approve"));
  onAction(app, deps, "digest.deny", digestDecideAction("deny"));
  onAction(app, deps, "digest.approveSelected", digestSelectedAction("approve"));
  onAction(app, deps, "digest.denySelected", digestSelectedAction("deny"));
  onAction(app, deps, "digest.refresh", refreshDigest);
  onAction(app, deps, "package.show", showPackageAction);
  onAction(app, deps, "request.form", requestFormAction);
  onAction(app, deps, "request.submit", submitAction);
  onAction(app, deps, "request.cancel", cancelAction);
  onAction(app, deps, "request.show", showRequestAction);
  onAction(app, deps, "assignment.extend", extendAction);
  onAction(app, deps, "assignment.remove", removeAction);
  onAction(app, deps, "assignment.reprocess", reprocessAction);
  onAction(app, deps, "removal.retry", retryRemovalAction);
  onAction(app, deps, "review.approve", reviewItemAction("approve"));
  onAction(app, deps, "review.deny", reviewItemAction("deny"));
  onAction(app, deps, "review.acceptRecommendations", remainingItemsAction("recommendation"));
  onAction(app, deps, "review.approveRemaining", remainingItemsAction("approve"));
  onAction(app, deps, "review.denyRemaining", remainingItemsAction("deny"));
  onAction(app, deps, "holders.page", holdersPageAction);
  onAction(app, deps, "holders.csv", holdersCsvAction);
  onAction(app, deps, "menu", menuAction);
  // Any other verb (an old card, a forged one): answer clearly instead of failing the invoke.
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    const verb = String(context.activity.value?.action?.verb).slice(0, 60);
    deps.logger.warn({ verb, actor: actorOf(context) }, "unknown card verb");
    await auditInvalidAction(deps, actorOf(context), verb, `unknown card verb "${verb}"`);
    const card = renderCard(
      errorView({
        code: "CARD.INVALID",
        message: 'This button isn\'t supported any more. Type "help" to start again.',
      }),
    );
    await answerInvoke(context, card);
    return card;
  });
}
