import type { TurnContext } from "botbuilder";
import { parseIntent, type Intent } from "../domain/search";
import type { CardMessage } from "../ports/notifier";
import { myAccessView } from "../views/lists";
import { noticeView } from "../views/notices";
import { welcomeView, type MenuItem } from "../views/welcome";
import { loadViewContext } from "../app/queries/view-context";
import { getMyAccess } from "../app/get-my-access";
import { browse, findAndShow, packageFor } from "./answers/packages";
import { onBehalf, sameAs } from "./answers/people";
import { cancelPrompt, myAccess, myApprovals, myRequests } from "./answers/mine";
import { myReviewCards, rememberReviewCard, reviewResultsAnswer } from "./answers/reviews";
import { onChannelMessage } from "./channel";
import { adminAnswer } from "./answers/admin-verbs";
import { inviteAnswer } from "./answers/invite";
import { type HandlerDeps, actorOf, saveReference, sendCard, unexpected } from "./turn";

/** Longest message read; anything longer is not a command. */
export const MAX_TEXT = 500;
const REMOVE = /^(?:please\s+)?(?:remove|revoke|drop|give up|end)\b.*\b(?:access|package)/i;

/** The cards that answer one intent. */
export async function answerIntent(
  deps: HandlerDeps,
  actorId: string,
  intent: Intent,
  displayName?: string,
): Promise<CardMessage[]> {
  switch (intent.kind) {
    case "greeting":
      return [welcomeView(displayName)];
    case "help":
      return [welcomeView(displayName, true)];
    case "browse":
      return [await browse(deps, actorId)];
    case "request":
      return [await findAndShow(deps, actorId, intent.query)];
    case "sameAs":
      return [await sameAs(deps, actorId, intent.person)];
    case "onBehalf":
      return [await onBehalf(deps, actorId, intent.person, intent.query)];
    case "invite":
      return [await inviteAnswer(deps, actorId, intent.email, intent.query)];
    case "myRequests":
      return [await myRequests(deps, actorId)];
    case "myAccess":
      return [await myAccess(deps, actorId)];
    case "myApprovals":
      return [await myApprovals(deps, actorId)];
    case "myReviews":
      return myReviewCards(deps, actorId);
    case "cancel":
      return [await cancelPrompt(deps, actorId, intent.query)];
    case "reviewResults":
      return [await reviewResultsAnswer(deps, actorId, intent.query, intent.period)];
    case "admin":
      return [await adminAnswer(deps, actorId, intent.admin)];
    case "unknown":
      // A bare package name ("salesforce") is a request too.
      return [
        (await packageFor(deps, actorId, intent.text)) ??
          noticeView("I didn't get that", [
            'Try "I need access to Salesforce", "what can I request?", "my requests" or "help".',
          ]),
      ];
  }
}

/** The cards behind a welcome-card button. */
export function answerMenu(deps: HandlerDeps, actorId: string, item: MenuItem): Promise<CardMessage[]> {
  const intents: Record<MenuItem, Intent> = {
    browse: { kind: "browse" },
    myRequests: { kind: "myRequests" },
    myAccess: { kind: "myAccess" },
    myApprovals: { kind: "myApprovals" },
    myReviews: { kind: "myReviews" },
    help: { kind: "help" },
  };
  return answerIntent(deps, actorId, intents[item]);
}

/** A chat message: save where to reach the person, read the intent, answer with cards. */
export async function onMessage(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const actorId = actorOf(context);
  const text = typeof context.activity.text === "string" ? context.activity.text.trim() : "";
  try {
    await saveReference(deps, context);
    if (!actorId) {
      await context.sendActivity("I can only help people signed in with a work account.");
      return;
    }
    if (text.length > MAX_TEXT) {
      await sendCard(context, noticeView("That's a long message", ["Please ask in a sentence or two."]));
      return;
    }
    if (context.activity.conversation?.conversationType === "channel") {
      await onChannelMessage(deps, context, text);
      return;
    }
    const name = context.activity.from?.name;
    let cards: CardMessage[];
    const intent = text === "" ? undefined : parseIntent(text);
    if (!intent) cards = [welcomeView(name)];
    else if (intent.kind !== "admin" && REMOVE.test(text)) {
      const mine = await getMyAccess(deps, actorId);
      const view = myAccessView(await loadViewContext(deps, [actorId]), mine.assignments);
      cards = [
        view,
        noticeView("Removing access", [
          "Use Remove next to the package; it is there when its policy lets you.",
        ]),
      ];
    } else cards = await answerIntent(deps, actorId, intent, name);
    for (const card of cards)
      await rememberReviewCard(deps, context, actorId, card, await sendCard(context, card));
  } catch (error) {
    await sendCard(context, unexpected(deps, error, "message"));
  }
}
