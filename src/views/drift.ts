import type { DriftFinding } from "../domain/model";
import { managedRoles } from "../domain/reconciliation/drift";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, namesOf } from "./context";
import { noticeView } from "./notices";
import { LIMITS, safeText } from "./text";

const MAX_LINES = 5;

/**
 * For catalog owners: what the reconciliation sweep found on the catalog's resources. Members no
 * access package grants (left in place, or removed where the policies say so) and grants removed
 * outside Access Desk that were given back.
 */
export function driftView(ctx: ViewContext, catalogId: string, findings: DriftFinding[]): CardMessage {
  const catalog = safeText(ctx.index.catalog(catalogId)?.name ?? "a catalog", LIMITS.title);
  const roles = managedRoles(ctx.index);
  const lines = findings.flatMap((f) => {
    const name = safeText(roles.get(f.key)?.role.displayName ?? "a resource", LIMITS.name);
    return [
      f.outOfBand.length > 0
        ? `${name}: ${namesOf(ctx, f.outOfBand)} have it without an access package.`
        : "",
      f.removed.length > 0
        ? `${name}: removed ${namesOf(ctx, f.removed)} (no access package grants it).`
        : "",
      f.reapplied.length > 0
        ? `${name}: gave ${namesOf(ctx, f.reapplied)} their access back (it was removed outside Access Desk).`
        : "",
    ].filter(Boolean);
  });
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`…and ${lines.length - MAX_LINES} more.`);
  const outOfBand = findings.some((f) => f.outOfBand.length > 0);
  return noticeView(
    `Access outside packages: ${catalog}`,
    [
      ...shown,
      outOfBand
        ? "Grant it through an access package, or remove it; a policy with outOfBandMembers: remove takes such members out."
        : "",
    ],
    "attention",
  );
}
