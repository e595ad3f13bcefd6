import { describePackage, listRequestable, type RequestablePackage } from "../../app/list-requestable";
import { loadIndex, loadPerson } from "../../app/shared/context";
import {
  ACTIVE_ASSIGNMENT_STATES,
  type AccessPackage,
  type DirectoryUser,
  type UserId,
} from "../../domain/model";
import { requestablePolicies } from "../../domain/policy/eligibility";
import { matchPackages, type PackageCandidate } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { loadViewContext } from "../../app/queries/view-context";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { packageListView, packageView } from "../../views/package";
import { LIMITS, safeText } from "../../views/text";
import { day } from "../../views/time";
import type { HandlerDeps } from "../turn";
import { reportRef } from "../report-ref";

const candidateOf = (r: RequestablePackage): PackageCandidate => ({
  package: r.package,
  catalogName: r.catalog.name,
  resourceNames: r.package.resourceRoles.map((role) => role.displayName),
});

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
  const ctx = await loadViewContext(deps, [actorId, forUser?.id]);
  const pkg = ctx.index.package(packageId);
  if (!pkg) return errorView({ code: "PACKAGE.NOT_FOUND", message: "That access package doesn't exist." });
  if (forUser) {
    const [requester, target] = await Promise.all([loadPerson(deps, actorId), loadPerson(deps, forUser.id)]);
    if (!requester || !target)
      return errorView({
        code: "POLICY.NOT_ELIGIBLE",
        message: "I don't know who you are in the directory.",
      });
    const policies = requestablePolicies(ctx.index, packageId, requester, target);
    return packageView(ctx, pkg, {
      requestable: policies.ok ? policies.value : [],
      blockedReason: policies.ok ? "" : policies.error.message,
      forRef: reportRef(actorId, forUser.id),
      forName: forUser.displayName,
    });
  }
  const described = await describePackage(deps, packageId, actorId);
  if (!described.ok && described.error.code === "PACKAGE.NOT_FOUND") return errorView(described.error);
  return packageView(ctx, pkg, {
    requestable: described.ok ? described.value.policies : [],
    blockedReason: described.ok ? "" : described.error.message,
  });
}

/** "I need access to Salesforce": one match shows the package, several a short list. */
export async function findAndShow(deps: HandlerDeps, actorId: UserId, query: string): Promise<CardMessage> {
  const found = await packageFor(deps, actorId, query);
  if (found) return found;
  // Maybe it exists but this person can't request it: say why instead of "not found".
  const index = await loadIndex(deps);
  const all = index.packages().filter((p) => !p.hidden);
  const other = matchPackages(
    query,
    all.map((p) => ({ package: p, catalogName: index.catalog(p.catalogId)?.name ?? "", resourceNames: [] })),
  )[0];
  if (other) return showPackage(deps, actorId, other.package.id);
  return noticeView(`Nothing matches "${safeText(query, 80)}"`, [
    'Try other words, or type "what can I request?" to see every package you can ask for.',
  ]);
}

/** The package card (or a short list) for words that match packages the person may request. */
export async function packageFor(
  deps: HandlerDeps,
  actorId: UserId,
  query: string,
): Promise<CardMessage | undefined> {
  const listed = await listRequestable(deps, actorId);
  if (!listed.ok) return errorView(listed.error);
  const matches = matchPackages(query, listed.value.map(candidateOf));
  if (matches.length === 1 || (matches.length > 1 && matches[0]!.score - matches[1]!.score >= 25)) {
    return showPackage(deps, actorId, matches[0]!.package.id);
  }
  if (matches.length > 1) {
    return packageListView(
      `Several packages match "${query}"`,
      matches.map((m) => ({ pkg: m.package, note: safeText(m.reason, LIMITS.short) })),
      "",
    );
  }
  return undefined;
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
