import { sodReport } from "../../app/queries/sod-report";
import type { AdminIntent } from "../../domain/search";
import { errorView } from "../../views/error";
import { sodReportView } from "../../views/sod-report";
import type { CardMessage } from "../../ports/notifier";
import type { HandlerDeps } from "../turn";
import { pendingPhrase, whoHasPhrase } from "./admin";
import { assignPhrase, removePhrase } from "./admin-changes";

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
    case "assign":
      return assignPhrase(deps, actorId, intent);
    case "removeFrom":
      return removePhrase(deps, actorId, intent);
    case "sodReport": {
      const report = await sodReport(deps, { actorId, source: "chat:sod-report" });
      return report.ok ? sodReportView(report.value) : errorView(report.error);
    }
  }
}
