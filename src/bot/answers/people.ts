import { listRequestable } from "../../app/list-requestable";
import { ACTIVE_ASSIGNMENT_STATES, type DirectoryUser, type UserId } from "../../domain/model";
import { matchPeople, suggestSameAs } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { packageListView } from "../../views/package";
import { LIMITS, listOf, plural, safeText } from "../../views/text";
import type { HandlerDeps } from "../turn";
import { findForReport } from "./packages";

const who = (users: DirectoryUser[]) =>
  listOf(users.slice(0, 5).map((u) => safeText(u.displayName, LIMITS.name)));

async function findPerson(
  deps: HandlerDeps,
  name: string,
  among?: DirectoryUser[],
): Promise<{ user?: DirectoryUser; answer?: CardMessage }> {
  const pool = among ?? (await deps.directory.findUsers(name, 10));
  const match = matchPeople(name, pool);
  const shown = safeText(name, 80);
  if (match.kind === "unique") return { user: match.user };
  if (match.kind === "ambiguous") {
    return {
      answer: noticeView(`Which ${shown}?`, [`I found ${who(match.users)}. Please write the full name.`]),
    };
  }
  return {
    answer: noticeView(
      among ? `${shown} isn't one of your direct reports` : `I don't know anyone called ${shown}`,
      [
        among
          ? "Only a person's manager can ask for access on their behalf."
          : "Try their full name or e-mail address.",
      ],
    ),
  };
}

/**
 * "Same access as Lola": the packages Lola holds that the requester may request themselves, each
 * through its own policy and approvals. Nothing is copied, no group membership changes.
 */
export async function sameAs(deps: HandlerDeps, actorId: UserId, name: string): Promise<CardMessage> {
  const found = await findPerson(deps, name);
  if (!found.user) return found.answer!;
  const other = found.user;
  if (other.id === actorId) return noticeView("That's you", ['Type "my access" to see what you have.']);
  const [held, requestable] = await Promise.all([
    deps.assignments.listForUser(other.id),
    listRequestable(deps, actorId),
  ]);
  if (!requestable.ok) return errorView(requestable.error);
  const activeIds = held.filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state)).map((a) => a.packageId);
  const mine = new Set(
    (await deps.assignments.listForUser(actorId))
      .filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state))
      .map((a) => a.packageId),
  );
  const suggestion = suggestSameAs(
    activeIds,
    requestable.value.map((r) => r.package.id),
  );
  const otherName = safeText(other.displayName, LIMITS.name);
  const items = suggestion.suggest
    .filter((id) => !mine.has(id))
    .map((id) => requestable.value.find((r) => r.package.id === id)!)
    .map((r) => ({ pkg: r.package, note: `${otherName} has this` }));
  const hidden = suggestion.notRequestable.length;
  const title = `Access like ${otherName}'s you can request`;
  const empty =
    activeIds.length === 0
      ? `${otherName} has no access packages.`
      : `You already have, or can't request, what ${otherName} has.`;
  const card = packageListView(title, items, empty);
  if (hidden > 0) {
    (card.data as Record<string, unknown>).more =
      `${plural(hidden, "other package")} of ${otherName} can't be requested by you.`;
  }
  return card;
}

/** "Request Salesforce for Ben": only for the requester's direct reports. */
export async function onBehalf(
  deps: HandlerDeps,
  actorId: UserId,
  name: string,
  query: string,
): Promise<CardMessage> {
  const reports = await deps.directory.getDirectReports(actorId);
  const found = await findPerson(deps, name, reports);
  if (!found.user) return found.answer!;
  return findForReport(deps, actorId, found.user, query);
}
