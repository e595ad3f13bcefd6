import { AUDIT_LINK_MINUTES, issueAuditLink } from "../../app/admin/audit-link";
import { auditTrail } from "../../app/admin/audit-trail";
import { MAX_AUDIT_QUERY_LIMIT } from "../../app/audit";
import { resolveAdminPackage } from "../../app/queries/package-admin";
import type { UserId } from "../../domain/model";
import { matchPeople } from "../../domain/search";
import type { AuditAbout } from "../../ports/admin-read-models";
import type { CardMessage } from "../../ports/notifier";
import { auditTrailView } from "../../views/audit-trail";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { LIMITS, listOf, safeText } from "../../views/text";
import type { HandlerDeps } from "../turn";

/** Where the bot serves a signed download link (src/http/audit-download.ts). */
export const AUDIT_DOWNLOAD_PATH = "/audit/download";

/**
 * What `audit <words>` names: one person (the directory decides first), else one access package;
 * otherwise the card that says which are meant or that nothing matches.
 */
async function auditSubject(
  deps: HandlerDeps,
  query: string,
): Promise<{ about?: AuditAbout; answer?: CardMessage }> {
  const people = matchPeople(query, await deps.directory.findUsers(query, 10));
  if (people.kind === "unique") return { about: { kind: "person", userId: people.user.id } };
  const shown = safeText(query, 80);
  if (people.kind === "ambiguous") {
    const names = listOf(people.users.slice(0, 5).map((u) => safeText(u.displayName, LIMITS.name)));
    return { answer: noticeView(`Which ${shown}?`, [`I found ${names}. Please write the full name.`]) };
  }
  const found = await resolveAdminPackage(deps, query);
  if (found.kind === "one") return { about: { kind: "package", packageId: found.pkg.id } };
  if (found.kind === "several") {
    const names = listOf(found.packages.map((p) => `"${safeText(p.name, LIMITS.title)}"`));
    return {
      answer: noticeView(`Which ${shown}?`, [`Several packages match: ${names}. Write the full name.`]),
    };
  }
  return {
    answer: noticeView(`Nobody and no access package matches "${shown}"`, [
      "Write a person's full name or a package's name, e.g. \"audit Business Analyst last 30 days\".",
    ]),
  };
}

/** `audit <person|package> [last <n> days]`: the newest entries and a signed link to all of them as CSV. */
export async function auditPhrase(
  deps: HandlerDeps,
  actorId: UserId,
  intent: { query: string; days?: number },
): Promise<CardMessage> {
  const { about, answer } = await auditSubject(deps, intent.query);
  if (!about) return answer!;
  const trail = await auditTrail(deps, {
    actorId,
    about,
    ...(intent.days !== undefined ? { days: intent.days } : {}),
    source: "chat:audit",
    limit: MAX_AUDIT_QUERY_LIMIT,
  });
  if (!trail.ok) return errorView(trail.error);
  const link = deps.publicUrl
    ? issueAuditLink(deps, { actorId, about, ...(intent.days !== undefined ? { days: intent.days } : {}) })
    : undefined;
  const download = link && {
    url: `${deps.publicUrl}${AUDIT_DOWNLOAD_PATH}?t=${link.token}`,
    minutes: deps.auditLinks?.ttlMinutes ?? AUDIT_LINK_MINUTES,
  };
  return auditTrailView(trail.value, download);
}
