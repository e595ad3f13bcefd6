import { delegateApprovals, stopDelegating } from "../../app/delegation/delegate-approvals";
import { listDelegations } from "../../app/delegation/list-delegations";
import type { UserId } from "../../domain/model";
import { matchPeople, parseEndDate } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { delegationsView } from "../../views/audit-trail";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { LIMITS, listOf, plural, safeText } from "../../views/text";
import { when } from "../../views/time";
import type { HandlerDeps } from "../turn";

/** `delegate my approvals to <person> until <date>`: who, until when, and how many cards went to them. */
export async function delegatePhrase(
  deps: HandlerDeps,
  actorId: UserId,
  intent: { person: string; until?: string },
): Promise<CardMessage> {
  const match = matchPeople(intent.person, await deps.directory.findUsers(intent.person, 10));
  const shown = safeText(intent.person, 80);
  if (match.kind === "ambiguous") {
    const names = listOf(match.users.slice(0, 5).map((u) => safeText(u.displayName, LIMITS.name)));
    return noticeView(`Which ${shown}?`, [`I found ${names}. Please write the full name.`]);
  }
  if (match.kind === "none")
    return noticeView(`I don't know anyone called ${shown}`, ["Try their full name or e-mail address."]);
  const until = intent.until === undefined ? undefined : parseEndDate(intent.until);
  if (intent.until !== undefined && until === undefined)
    return noticeView(`"${safeText(intent.until, 40)}" is not a date I can read`, [
      'Write it like "2026-12-24" or "24 December 2026".',
    ]);
  const delegated = await delegateApprovals(deps, {
    actorId,
    delegateId: match.user.id,
    until,
    source: "chat:delegate",
  });
  if (!delegated.ok) return errorView(delegated.error);
  const name = safeText(match.user.displayName, LIMITS.name);
  const { pending, reviews, replaced } = delegated.value;
  const waiting = [
    ...(pending.length > 0 ? [plural(pending.length, "request")] : []),
    ...(reviews.length > 0 ? [plural(reviews.length, "access review")] : []),
  ];
  const were = pending.length + reviews.length === 1 ? "was" : "were";
  return noticeView(`${name} decides your approvals until ${when(delegated.value.delegation.until)}`, [
    `${name} gets your new approval requests and access reviews too and decides them for you ("${name} for you").`,
    waiting.length > 0
      ? `${waiting.join(" and ")} waiting for you ${were} sent to ${name}.`
      : "Nothing is waiting for you right now.",
    ...(replaced && replaced.delegateId !== match.user.id ? ["This replaces your earlier delegation."] : []),
    'It ends by itself at that date; type "stop delegating" to end it sooner.',
  ]);
}

/** `stop delegating`. */
export async function stopDelegatingPhrase(deps: HandlerDeps, actorId: UserId): Promise<CardMessage> {
  const stopped = await stopDelegating(deps, { actorId, source: "chat:delegate" });
  if (!stopped.ok) return errorView(stopped.error);
  const user = await deps.directory.getUser(stopped.value.delegateId).catch(() => undefined);
  const name = safeText(user?.displayName ?? "Your delegate", LIMITS.name);
  return noticeView("You decide your approvals again", [`${name} no longer decides for you.`]);
}

/** `delegations`: who decides for whom (owners, auditors, administrators). */
export async function delegationsPhrase(deps: HandlerDeps, actorId: UserId): Promise<CardMessage> {
  const listed = await listDelegations(deps, { actorId, source: "chat:delegations" });
  return listed.ok ? delegationsView(listed.value) : errorView(listed.error);
}
