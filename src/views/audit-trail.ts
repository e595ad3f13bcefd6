import type { AuditEntry } from "../domain/model";
import type { AuditTrailModel, DelegationsModel } from "../ports/admin-read-models";
import type { CardMessage } from "../ports/notifier";
import { nameOf, packageName } from "./context";
import { LIMITS, plural, safeText } from "./text";
import { when } from "./time";

/** Entries the card shows; the CSV holds up to a thousand. */
export const AUDIT_CARD_ROWS = 10;

const ROLE_TEXT: Record<AuditTrailModel["role"], string> = {
  governanceAdministrator: "as governance administrator",
  auditor: "as auditor",
  catalogOwner: "as catalog owner (entries of your catalogs)",
  catalogReader: "as catalog reader (entries of your catalogs)",
};

/** "stage.approved" -> "Stage approved". */
const actionText = (action: string): string => {
  const words = action
    .replace(/\./g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Who acted, and for whom when a delegate decided ("Diego Siciliani for Megan Bowen"). */
export function actorText(ctx: AuditTrailModel["ctx"], entry: AuditEntry): string {
  const who = entry.actor === "anonymous" ? "someone with a link" : nameOf(ctx, entry.actor);
  const behalf = entry.details?.onBehalfOf;
  return behalf ? `${who} for ${nameOf(ctx, behalf)}` : who;
}

/**
 * `audit <person|package>`: the newest entries (who, what, when, reason) and, when a signed link
 * was made, a button that downloads them all as CSV (the link works once, for a few minutes).
 */
export function auditTrailView(
  model: AuditTrailModel,
  download?: { url: string; minutes: number },
): CardMessage {
  const { ctx, entries } = model;
  const name = safeText(model.name, LIMITS.title);
  const span = model.days ? `, last ${plural(model.days, "day")}` : "";
  const shown = entries.slice(0, AUDIT_CARD_ROWS);
  return {
    template: "audit-trail",
    summary: `Audit trail of ${name}`,
    data: {
      title: `Audit trail: ${name}${span}`,
      scope: `${entries.length >= 1000 ? "1000+" : entries.length} ${entries.length === 1 ? "entry" : "entries"}, ${ROLE_TEXT[model.role]}`,
      empty: entries.length === 0,
      items: shown.map((e) => ({
        what: `${actionText(e.action)}${e.packageId && model.about.kind === "person" ? `: ${packageName(ctx, e.packageId)}` : ""}`,
        who: actorText(ctx, e),
        when: when(e.at),
        about: e.targetUserId && model.about.kind === "package" ? nameOf(ctx, e.targetUserId) : "",
        reason: safeText(e.reason ?? "", LIMITS.short),
      })),
      more: entries.length > shown.length ? `Showing the newest ${shown.length}.` : "",
      hasDownload: download !== undefined,
      downloadUrl: download?.url ?? "",
      downloadNote: download
        ? `The download link works once, for you, within ${download.minutes} minutes.`
        : "Downloads are not configured here; an operator can export with npm run access -- audit.",
    },
  };
}

/** `delegations`: who decides for whom, until when. */
export function delegationsView(model: DelegationsModel): CardMessage {
  const { ctx, delegations } = model;
  return {
    template: "delegations",
    summary: `Delegations: ${delegations.length}`,
    data: {
      title: "Approval delegations in force",
      empty: delegations.length === 0,
      items: delegations.slice(0, 50).map((d) => ({
        text: `${nameOf(ctx, d.delegateId)} for ${nameOf(ctx, d.approverId)}`,
        until: `until ${when(d.until)}`,
      })),
      more: delegations.length > 50 ? `Showing 50 of ${delegations.length}.` : "",
    },
  };
}
