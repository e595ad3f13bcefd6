import type { AdminIntent } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { noticeView } from "../../views/notices";
import type { HandlerDeps } from "../turn";
import { pendingPhrase, whoHasPhrase } from "./admin";

/** The answer to an administrator's phrase; every verb checks the actor's role itself. */
export async function adminAnswer(
  deps: HandlerDeps,
  actorId: string,
  intent: AdminIntent,
): Promise<CardMessage> {
  switch (intent.kind) {
    case "whoHas":
      return whoHasPhrase(deps, actorId, intent.query);
    case "pending":
      return pendingPhrase(deps, actorId, intent.query);
    default:
      return noticeView("I didn't get that", ['Try "who has Business Analyst" or "pending Salesforce".']);
  }
}
