import type { Application, TurnState } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import type { Result } from "../../domain/result";
import type { CardMessage } from "../../ports/notifier";
import { errorView } from "../../views/error";
import { renderCard } from "../../views/render";
import { CardData, type CardDataError, auditInvalidAction } from "../card-data";
import { type HandlerDeps, actorOf, answerInvoke, saveReference, unexpected } from "../turn";
import { afterUnexpected } from "./recover";

/** What a card action answers: a card that replaces the clicked one for the clicker, or a short message. */
export type ActionAnswer = CardMessage | string;

export interface ActionTurn {
  deps: HandlerDeps;
  context: TurnContext;
  actorId: string;
  data: CardData;
}

class InvalidCardData extends Error {}

/** Unwraps a card-data check; a failure ends the action with an error card and an audit row. */
export function need<T>(result: Result<T, CardDataError>): T {
  if (!result.ok) throw new InvalidCardData(result.error.message);
  return result.value;
}

/**
 * Registers an Action.Execute verb. The clicker is `from.aadObjectId`; the data is checked before
 * any use case runs; every failure becomes a card, never a stack trace.
 */
export function onAction<TState extends TurnState>(
  app: Application<TState>,
  deps: HandlerDeps,
  verb: string,
  handler: (turn: ActionTurn) => Promise<ActionAnswer>,
): void {
  app.adaptiveCards.actionExecute(verb, async (context, _state, raw) => {
    const actorId = actorOf(context);
    let answer: ActionAnswer;
    let data: CardData | undefined;
    try {
      await saveReference(deps, context);
      const parsed = CardData.parse(raw);
      if (!actorId)
        answer = errorView({
          code: "CARD.INVALID",
          message: "Sign in with a work account to use this card.",
        });
      else if (!parsed.ok) {
        await auditInvalidAction(deps, actorId, verb, parsed.error.message);
        answer = errorView(parsed.error);
      } else {
        data = parsed.value;
        answer = await handler({ deps, context, actorId, data });
      }
    } catch (error) {
      if (error instanceof InvalidCardData) {
        await auditInvalidAction(deps, actorId, verb, error.message);
        answer = errorView({ code: "CARD.INVALID", message: error.message });
      } else if (actorId) answer = await afterUnexpected(deps, actorId, data, error, `action ${verb}`);
      else answer = unexpected(deps, error, `action ${verb}`);
    }
    const card = typeof answer === "string" ? answer : renderCard(answer);
    await answerInvoke(context, card);
    return card;
  });
}
