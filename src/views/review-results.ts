import type { ReviewItemResult, ReviewResult } from "../domain/reviews/results";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, packageName } from "./context";
import { LIMITS, safeText } from "./text";
import { when } from "./time";

const MAX_ITEMS = 25;

function outcomeText(ctx: ViewContext, item: ReviewItemResult): string {
  const decided = item.decision
    ? `${item.decision === "approve" ? "Approved" : "Denied"} by ${nameOf(ctx, item.decidedBy)} at ${when(item.decidedAt)}`
    : "Not reviewed";
  const reason = item.justification ? `: ${safeText(item.justification, LIMITS.short)}` : "";
  const applied = item.applied ? ` Access ${item.applied}.` : "";
  return `${decided}${reason}.${applied}`;
}

/**
 * The results of one access review: counts and each person's outcome. `items` are those the viewer
 * may see (all for a catalog owner, their own items for a reviewer); counts cover the same items.
 */
export function reviewResultsView(
  ctx: ViewContext,
  packageId: string,
  result: ReviewResult,
  items: ReviewItemResult[],
  scope: "all" | "reviewed",
): CardMessage {
  const name = packageName(ctx, packageId);
  const count = (p: (i: ReviewItemResult) => boolean) => items.filter(p).length;
  const state =
    result.state === "completed" ? `ended ${when(result.endAt)}` : `in progress until ${when(result.endAt)}`;
  return {
    template: "review-results",
    summary: `Access review results: ${name} (${result.period})`,
    data: {
      title: `Access review results: ${name}`,
      subtitle: `Period ${safeText(result.period, 40)}, ${state}.`,
      counts: [
        { title: "Reviewed", value: String(items.length - count((i) => !i.decision)) },
        { title: "Approved", value: String(count((i) => i.decision === "approve")) },
        { title: "Denied", value: String(count((i) => i.decision === "deny")) },
        { title: "Not reviewed", value: String(count((i) => !i.decision)) },
        { title: "Removed", value: String(count((i) => i.applied === "removed")) },
      ],
      scopeNote: scope === "reviewed" ? "Only the people you reviewed are shown." : "",
      more: items.length > MAX_ITEMS ? `Showing ${MAX_ITEMS} of ${items.length}.` : "",
      items: items.slice(0, MAX_ITEMS).map((i) => ({
        userName: nameOf(ctx, i.userId),
        outcome: outcomeText(ctx, i),
        removed: i.applied === "removed" || (i.applied === undefined && i.decision === "deny"),
      })),
    },
  };
}
