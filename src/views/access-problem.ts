import type { Assignment } from "../domain/model";
import { isActive } from "../domain/assignment/lifecycle";
import { grantsFailedForGood, grantsUnderway } from "../domain/assignment/failed-grants";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, packageName } from "./context";
import { LIMITS, listOf, safeText } from "./text";
import { when } from "./time";

type Style = "attention" | "good" | "default";

interface Problem {
  title: string;
  style: Style;
  lines: string[];
  facts: Array<{ title: string; value: string }>;
  canRetry?: boolean;
  canReprocess?: boolean;
}

function card(ctx: ViewContext, a: Assignment, problem: Problem, notice = ""): CardMessage {
  return {
    template: "access-problem",
    summary: problem.title,
    data: {
      assignmentId: a.id,
      revision: a.revision,
      title: problem.title,
      style: problem.style,
      lines: problem.lines.filter(Boolean).map((text) => ({ text })),
      facts: [
        { title: "Person", value: nameOf(ctx, a.userId) },
        { title: "Package", value: packageName(ctx, a.packageId) },
        ...problem.facts.filter((f) => f.value !== ""),
      ],
      notice: safeText(notice, LIMITS.short),
      canRetry: !!problem.canRetry,
      canReprocess: !!problem.canReprocess,
    },
  };
}

const roleNames = (roles: Array<{ role: { displayName: string } }>): string =>
  listOf(roles.slice(0, 10).map((r) => safeText(r.role.displayName, LIMITS.name)));

/** How the assignment ended, for the owner: expired, or removed (with the reason). */
function ending(a: Assignment): string {
  if (a.state === "expired") return `Expired at ${when(a.endAt ?? a.updatedAt)}`;
  const reason = a.removalReason ? `: ${safeText(a.removalReason, LIMITS.short)}` : "";
  return `Removed at ${when(a.removedAt ?? a.updatedAt)}${reason}`;
}

/**
 * For catalog owners: the revokes of an ended assignment. While they are retrying or failed the
 * card says the person still has the access, with Retry; once taken away it says so, without one.
 */
export function removalProblemView(ctx: ViewContext, a: Assignment, notice?: string): CardMessage {
  const who = nameOf(ctx, a.userId);
  const pkg = packageName(ctx, a.packageId);
  const removal = a.removal;
  const still = a.resources.filter((r) => r.status === "granted" && r.lastError !== undefined);
  const facts = [
    { title: "Ended", value: ending(a) },
    { title: "Still granted", value: still.length > 0 ? roleNames(still) : "" },
    { title: "Attempts", value: removal && removal.status !== "completed" ? String(removal.attempts) : "" },
    { title: "Last error", value: safeText(removal?.lastError ?? "", LIMITS.short) },
  ];
  if (isActive(a)) {
    return card(
      ctx,
      a,
      { title: `${pkg} for ${who} is active`, style: "default", lines: [], facts: [] },
      notice,
    );
  }
  if (removal?.status === "removalFailed") {
    return card(
      ctx,
      a,
      {
        title: `Removal failed: ${pkg} for ${who}`,
        style: "attention",
        lines: [
          `The access ended, but Access Desk could not take it away: ${who} still has it.`,
          "Fix the cause (permissions, a protected group), then press Retry.",
        ],
        facts,
        canRetry: true,
      },
      notice,
    );
  }
  if (removal?.status === "removing") {
    return card(
      ctx,
      a,
      {
        title: `Removing ${pkg} from ${who}`,
        style: "attention",
        lines: [
          `The access ended, but ${who} still has part of it.`,
          removal.nextAttemptAt
            ? `Access Desk tries again at ${when(removal.nextAttemptAt)}.`
            : "Access Desk is trying again now.",
        ],
        facts,
        canRetry: true,
      },
      notice,
    );
  }
  const at = removal?.completedAt ?? a.removedAt ?? a.updatedAt;
  return card(
    ctx,
    a,
    {
      title: `Removed: ${pkg} for ${who}`,
      style: "good",
      lines: [`Access Desk took the access away at ${when(at)}.`],
      facts: [{ title: "Ended", value: ending(a) }],
    },
    notice,
  );
}

/**
 * For catalog owners: grants of an assignment that failed with no retry left, with Reprocess.
 * Once everything is granted (or the access ended) the card says so, without a button.
 */
export function deliveryProblemView(ctx: ViewContext, a: Assignment, notice?: string): CardMessage {
  const who = nameOf(ctx, a.userId);
  const pkg = packageName(ctx, a.packageId);
  const failed = grantsFailedForGood(a);
  if (!isActive(a)) {
    return card(
      ctx,
      a,
      { title: `${pkg} for ${who} has ended`, style: "default", lines: [], facts: [] },
      notice,
    );
  }
  if (failed.length === 0) {
    const underway = grantsUnderway(a);
    return card(
      ctx,
      a,
      {
        title: underway ? `Delivering ${pkg} to ${who}` : `Delivered: ${pkg} for ${who}`,
        style: underway ? "default" : "good",
        lines: [underway ? "Access Desk is still retrying some grants." : "Everything is granted."],
        facts: [],
      },
      notice,
    );
  }
  const nothing = !a.resources.some((r) => r.status === "granted");
  return card(
    ctx,
    a,
    {
      title: nothing ? `Delivery failed: ${pkg} for ${who}` : `Partly delivered: ${pkg} for ${who}`,
      style: "attention",
      lines: [
        `Access Desk stopped retrying: ${who} did not get ${roleNames(failed)}.`,
        "Fix the cause (permissions, a protected group), then press Reprocess.",
      ],
      facts: [
        { title: "Not granted", value: roleNames(failed) },
        { title: "Last error", value: safeText(failed[0]?.lastError ?? "", LIMITS.short) },
      ],
      canReprocess: true,
    },
    notice,
  );
}
