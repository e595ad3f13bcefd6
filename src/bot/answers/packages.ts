import { listRequestable } from "../../app/list-requestable";
import {
  type PackageAnswer,
  type PackageCard,
  findPackage,
  packageCard,
  packageCardForReport,
} from "../../app/queries/packages";
import { loadViewer } from "../../app/queries/viewer";
import { loadIndex, loadPerson } from "../../app/shared/context";
import {
  ACTIVE_ASSIGNMENT_STATES,
  type AccessPackage,
  type DirectoryUser,
  type UserId,
} from "../../domain/model";
import { requestablePolicies } from "../../domain/policy/eligibility";
import { matchPackages } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { packageListView, packageView } from "../../views/package";
import { LIMITS, safeText } from "../../views/text";
import { day } from "../../views/time";
import type { HandlerDeps } from "../turn";
import { reportRef } from "../report-ref";

/** "What can I request?" */
export async function browse(deps: HandlerDeps, actorId: UserId): Promise<CardMessage> {
  const [listed, assignments] = await Promise.all([
    listRequestable(deps, actorId),
    deps.assignments.listForUser(actorId),
  ]);
  if (!listed.ok) return errorView(listed.error);
  // Say which ones the person already has, so nobody asks twice for what they hold.
  const held = new Map(
    assignments.filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state)).map((a) => [a.packageId, a]),
  );
  const note = (packageId: string): string | undefined => {
    const assignment = held.get(packageId);
    if (!assignment) return undefined;
    return assignment.endAt ? `You have this until ${day(assignment.endAt)}.` : "You have this.";
  };
  return packageListView(
    "Access packages you can request",
    listed.value.map((r) => ({ pkg: r.package, note: note(r.package.id) })),
    "There is nothing you can request right now.",
  );
}

/** The package card for the viewer (or for a direct report when `forUser` is given). */
export async function showPackage(
  deps: HandlerDeps,
  actorId: UserId,
  packageId: string,
  forUser?: DirectoryUser,
): Promise<CardMessage> {
  const viewer = await loadViewer(deps, actorId, forUser ? [forUser.id] : []);
  const card = forUser
    ? await packageCardForReport(deps, viewer, packageId, forUser)
    : await packageCard(deps, viewer, packageId);
  if ("code" in card) return errorView(card);
  return packageCardView(
    card,
    forUser && { forRef: reportRef(actorId, forUser.id), forName: forUser.displayName },
  );
}

function packageCardView(card: PackageCard, forReport?: { forRef: string; forName: string }): CardMessage {
  return packageView(card.ctx, card.pkg, {
    requestable: card.requestable,
    blockedReason: card.blockedReason,
    ...forReport,
  });
}

/** "I need access to Salesforce": one match shows the package, several a short list. */
export async function findAndShow(deps: HandlerDeps, actorId: UserId, query: string): Promise<CardMessage> {
  const answer = await findPackage(deps, await loadViewer(deps, actorId), query, { orAnyPackage: true });
  return (
    packageAnswerView(answer, query) ??
    noticeView(`Nothing matches "${safeText(query, 80)}"`, [
      'Try other words, or type "what can I request?" to see every package you can ask for.',
    ])
  );
}

/** The package card (or a short list) for words that match packages the person may request. */
export async function packageFor(
  deps: HandlerDeps,
  actorId: UserId,
  query: string,
): Promise<CardMessage | undefined> {
  const answer = await findPackage(deps, await loadViewer(deps, actorId), query, { orAnyPackage: false });
  return packageAnswerView(answer, query);
}

function packageAnswerView(answer: PackageAnswer, query: string): CardMessage | undefined {
  switch (answer.kind) {
    case "package":
      return packageCardView(answer.card);
    case "choices":
      return packageListView(
        `Several packages match "${query}"`,
        answer.matches.map((m) => ({ pkg: m.package, note: safeText(m.reason, LIMITS.short) })),
        "",
      );
    case "refused":
      return errorView(answer.error);
    case "none":
      return undefined;
  }
}

/** Packages a manager may request for a direct report, matched against the query. */
export async function findForReport(
  deps: HandlerDeps,
  actorId: UserId,
  report: DirectoryUser,
  query: string,
): Promise<CardMessage> {
  const [index, requester, target] = await Promise.all([
    loadIndex(deps),
    loadPerson(deps, actorId),
    loadPerson(deps, report.id),
  ]);
  if (!requester || !target)
    return errorView({ code: "POLICY.NOT_ELIGIBLE", message: "I can't find you both in the directory." });
  const usable: AccessPackage[] = index
    .packages()
    .filter((p) => !p.hidden && requestablePolicies(index, p.id, requester, target).ok);
  const matches = matchPackages(
    query,
    usable.map((p) => ({
      package: p,
      catalogName: index.catalog(p.catalogId)?.name ?? "",
      resourceNames: [],
    })),
  );
  if (matches.length === 1) return showPackage(deps, actorId, matches[0]!.package.id, report);
  return packageListView(
    `Packages you can request for ${report.displayName}`,
    (matches.length > 0 ? matches.map((m) => m.package) : usable).map((pkg) => ({ pkg })),
    `No package matching "${query}" can be requested for ${report.displayName}.`,
    reportRef(actorId, report.id),
  );
}
