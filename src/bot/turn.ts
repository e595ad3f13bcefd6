import { randomUUID } from "node:crypto";
import {
  type Activity,
  CardFactory,
  MessageFactory,
  type TurnContext,
  TurnContext as Turn,
} from "botbuilder";
import type { AppDeps } from "../app/deps";
import type { DomainError } from "../domain/errors";
import type { ConversationStore } from "../ports/conversations";
import type { CardMessage } from "../ports/notifier";
import { errorView, unexpectedErrorView } from "../views/error";
import { type RenderedCard, renderCard } from "../views/render";
import type { StepUpSignIn } from "./step-up/sign-in";

/** What every handler may use: the use cases' dependencies and the conversation store. */
export type HandlerDeps = AppDeps & {
  conversations: ConversationStore;
  /** The bot's Microsoft App ID, for deep links to its chat; empty or absent in local mode. */
  botAppId?: string;
  /** Where step-up sign-in tokens come from (src/bot/step-up); absent: no sign-in is offered. */
  stepUpSignIn?: StepUpSignIn;
  /** The Azure Bot OAuth connection named in login requests. */
  stepUpConnectionName?: string;
  /** This bot's public base URL (PUBLIC_URL): signed download links point under it. */
  publicUrl?: string;
};

/** The clicker or writer: the Entra object id Teams puts on the activity, never card data. */
export function actorOf(context: TurnContext): string | undefined {
  const id = context.activity.from?.aadObjectId;
  return typeof id === "string" && id.length > 0 && id.length <= 100 ? id : undefined;
}

export const cardAttachment = (message: CardMessage): Partial<Activity> => {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderCard(message)));
  activity.summary = message.summary;
  return activity;
};

/** Sends a card as a new message; returns the activity id Teams gave it. */
export async function sendCard(context: TurnContext, message: CardMessage): Promise<string | undefined> {
  return (await context.sendActivity(cardAttachment(message)))?.id;
}

/**
 * Answers an Action.Execute with a card for the clicker only. The invoke response is sent here so
 * teams-ai does not broadcast a card carrying `refresh` to everyone: copies are updated from stored
 * state by the notification sink instead.
 */
export async function answerInvoke(context: TurnContext, card: RenderedCard | string): Promise<void> {
  const body =
    typeof card === "string"
      ? { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: card }
      : { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card };
  await context.sendActivity({ type: "invokeResponse", value: { status: 200, body } });
}

/** Saves where to reach the person later: on install and on every message. */
export async function saveReference(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const actor = actorOf(context);
  const conversationType = context.activity.conversation?.conversationType;
  if (!actor || (conversationType && conversationType !== "personal")) return;
  const reference = Turn.getConversationReference(context.activity);
  await deps.conversations.saveUserReference(actor, reference as unknown as Record<string, unknown>);
}

export const refusal = (error: Pick<DomainError, "code" | "message">): CardMessage => errorView(error);

/** Logs an unexpected failure under a correlation id and gives the person that id, not the stack. */
export function unexpected(deps: HandlerDeps, error: unknown, what: string): CardMessage {
  const correlationId = randomUUID().slice(0, 8);
  deps.logger.error({ err: error, correlationId, what }, "unexpected error in a bot handler");
  return unexpectedErrorView(correlationId);
}
