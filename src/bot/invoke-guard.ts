import { INVOKE_RESPONSE_KEY, type TurnContext } from "botbuilder";
import { errorView } from "../views/error";
import { renderCard } from "../views/render";
import { auditInvalidAction } from "./card-data";
import { type HandlerDeps, actorOf, answerInvoke, unexpected } from "./turn";

/** The one invoke the bot handles: a click on an Action.Execute button. */
export const ACTION_INVOKE = "adaptiveCard/action";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Why an `adaptiveCard/action` invoke reached no handler; the card's verb routes everything else. */
export function actionInvokeProblem(value: unknown): string {
  if (!isObject(value)) return "The card action sent no value.";
  if (!isObject(value.action)) return "The card action names no action.";
  if (value.action.type !== "Action.Execute") return "Only Action.Execute buttons are supported.";
  if (typeof value.action.verb !== "string") return "The card action has no verb.";
  return "The card action could not be handled.";
}

const answered = (context: TurnContext): boolean => Boolean(context.turnState.get(INVOKE_RESPONSE_KEY));

/** A 4xx invoke answer with a message, for invokes this bot does not implement. */
async function refuseInvoke(context: TurnContext, message: string): Promise<void> {
  await context.sendActivity({
    type: "invokeResponse",
    value: { status: 400, body: { error: { code: "BadRequest", message } } },
  });
}

/** Answers an invoke that no route answered: an error card for a card action, else a 400. */
async function answerUnanswered(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const { name, value } = context.activity;
  if (name !== ACTION_INVOKE) {
    const shown = typeof name === "string" && name.length > 0 ? `"${name.slice(0, 60)}"` : "unnamed";
    deps.logger.warn({ name: String(name).slice(0, 60) }, "refused an invoke the bot does not handle");
    await refuseInvoke(context, `Access Desk does not handle ${shown} invokes.`);
    return;
  }
  const problem = actionInvokeProblem(value);
  const verb = (value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  await auditInvalidAction(deps, actorOf(context), typeof verb === "string" ? verb : "(none)", problem);
  const card = errorView({ code: "CARD.INVALID", message: `${problem} Type "help" to start again.` });
  await answerInvoke(context, renderCard(card));
}

/**
 * Runs a turn so that an invoke is always answered: botbuilder answers an invoke nobody responded
 * to with 501, and one whose handler threw with 500. Card actions get an error card (200, as
 * Teams shows it in place of the card); other invokes a 400 naming what is not supported.
 */
export async function guardInvoke(
  deps: HandlerDeps,
  context: TurnContext,
  run: () => Promise<unknown>,
): Promise<void> {
  const isInvoke = context.activity.type === "invoke";
  try {
    await run();
  } catch (error) {
    if (!isInvoke || answered(context)) throw error;
    await answerInvoke(context, renderCard(unexpected(deps, error, "invoke")));
    return;
  }
  if (isInvoke && !answered(context)) await answerUnanswered(deps, context);
}
