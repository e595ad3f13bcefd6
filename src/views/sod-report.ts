import type { CardMessage } from "../ports/notifier";
import type { SodReportModel } from "../ports/read-models";
import { nameOf, packageName } from "./context";
import { LIMITS, listOf, plural, safeText } from "./text";

const MAX_ROWS = 60;

/** "separation of duties report": per catalog, who holds what together that may not be combined. */
export function sodReportView(model: SodReportModel): CardMessage {
  const { ctx, violations } = model;
  const shown = violations.slice(0, MAX_ROWS);
  const line = (v: SodReportModel["violations"][number]): string =>
    v.kind === "packages"
      ? `${nameOf(ctx, v.userId)} holds ${packageName(ctx, v.packageId)} and ${packageName(ctx, v.otherPackageId)}`
      : `${nameOf(ctx, v.userId)} holds ${packageName(ctx, v.packageId)} and is a member of ${safeText(
          model.groupNames.get(v.groupId) ?? v.groupId,
          LIMITS.name,
        )}`;
  const catalogs = model.catalogs
    .map((c) => ({
      name: safeText(c.name, LIMITS.title),
      items: shown.filter((v) => v.catalogId === c.id).map((v) => ({ text: line(v) })),
    }))
    .filter((c) => c.items.length > 0);
  return {
    template: "sod-report",
    summary: `Separation of duties: ${plural(violations.length, "conflict")}`,
    data: {
      scope: `${plural(violations.length, "conflict")} in ${listOf(
        model.catalogs.map((c) => safeText(c.name, LIMITS.title)),
      )}`,
      empty: violations.length === 0,
      catalogs,
      more: violations.length > MAX_ROWS ? `Showing ${MAX_ROWS} of ${violations.length}.` : "",
    },
  };
}
