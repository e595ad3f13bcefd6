import { assignDirectly } from "../../app/assign-directly";
import { removeFromPackage } from "../../app/admin/remove-from-package";
import type { DirectoryUser, UserId } from "../../domain/model";
import { matchPeople } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { directlyAssignedView, removedByAdminView } from "../../views/package-admin";
import { LIMITS, listOf, safeText } from "../../views/text";
import type { HandlerDeps } from "../turn";
import { adminPackage } from "./admin";

/** The one person a name in an admin phrase means, or the card that asks which (or says nobody). */
async function onePerson(
  deps: HandlerDeps,
  name: string,
): Promise<{ user?: DirectoryUser; answer?: CardMessage }> {
  const match = matchPeople(name, await deps.directory.findUsers(name, 10));
  const shown = safeText(name, 80);
  if (match.kind === "unique") return { user: match.user };
  if (match.kind === "ambiguous") {
    const names = listOf(match.users.slice(0, 5).map((u) => safeText(u.displayName, LIMITS.name)));
    return { answer: noticeView(`Which ${shown}?`, [`I found ${names}. Please write the full name.`]) };
  }
  return {
    answer: noticeView(`I don't know anyone called ${shown}`, ["Try their full name or e-mail address."]),
  };
}

/** `assign <package> to <person> [until <date> | for <n> days] [because <reason>]`. */
export async function assignPhrase(
  deps: HandlerDeps,
  actorId: UserId,
  intent: { query: string; person: string; until?: string; days?: number; reason?: string },
): Promise<CardMessage> {
  const { pkg, answer } = await adminPackage(deps, intent.query);
  if (!pkg) return answer!;
  const person = await onePerson(deps, intent.person);
  if (!person.user) return person.answer!;
  const assigned = await assignDirectly(deps, {
    actorId,
    userId: person.user.id,
    packageId: pkg.id,
    reason: intent.reason ?? "Assigned directly by an administrator",
    source: "chat:assign",
    duration: { until: intent.until, days: intent.days },
  });
  if (!assigned.ok) return errorView(assigned.error);
  const request = (await deps.requests.get(assigned.value.requestId))?.value;
  const assignment = request?.assignmentId
    ? (await deps.assignments.get(request.assignmentId))?.value
    : undefined;
  return directlyAssignedView(assignment, pkg.name, person.user.displayName);
}

/** `remove <person> from <package> because <reason>`. */
export async function removePhrase(
  deps: HandlerDeps,
  actorId: UserId,
  intent: { person: string; query: string; reason?: string },
): Promise<CardMessage> {
  const { pkg, answer } = await adminPackage(deps, intent.query);
  if (!pkg) return answer!;
  const person = await onePerson(deps, intent.person);
  if (!person.user) return person.answer!;
  const removed = await removeFromPackage(deps, {
    actorId,
    userId: person.user.id,
    packageId: pkg.id,
    reason: intent.reason ?? "",
    source: "chat:remove",
  });
  if (!removed.ok) return errorView(removed.error);
  return removedByAdminView(removed.value, pkg.name, person.user.displayName);
}
