import { sodReport } from "../../app/queries/sod-report";
import type { AdminIntent } from "../../domain/search";
import { errorView } from "../../views/error";
import { sodReportView } from "../../views/sod-report";
import type { CardMessage } from "../../ports/notifier";
import type { HandlerDeps } from "../turn";
import { adminPackage, pendingPhrase, whoHasPhrase } from "./admin";
import { packageForLink } from "../../app/queries/package-admin";
import { packageLinkView } from "../../views/package-admin";
import { assignPhrase, removePhrase } from "./admin-changes";
import { auditPhrase } from "./admin-audit";
import { delegatePhrase, delegationsPhrase, stopDelegatingPhrase } from "./delegation";

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
    case "link": {
      const { pkg, answer } = await adminPackage(deps, intent.query);
      if (!pkg) return answer!;
      const allowed = await packageForLink(deps, { actorId, packageId: pkg.id, source: "chat:link" });
      return allowed.ok ? packageLinkView(allowed.value, deps.botAppId) : errorView(allowed.error);
    }
    case "audit":
      return auditPhrase(deps, actorId, intent);
    case "delegate":
      return delegatePhrase(deps, actorId, intent);
    case "stopDelegating":
      return stopDelegatingPhrase(deps, actorId);
    case "delegations":
      return delegationsPhrase(deps, actorId);
    case "sodReport": {
      const report = await sodReport(deps, { actorId, source: "chat:sod-report" });
      return report.ok ? sodReportView(report.value) : errorView(report.error);
    }
  }
}
