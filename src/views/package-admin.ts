import type { AccessRequest, Assignment, AssignmentState } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import type { HowAssigned, PackageHoldersModel, PackageRequestsModel } from "../ports/read-models";
import { nameOf, namesOf } from "./context";
import { noticeView } from "./notices";
import { stateLabel } from "./request";
import { LIMITS, inputValue, plural, safeText } from "./text";
import { day, timeLeft, when } from "./time";

const HOW: Record<HowAssigned, string> = { request: "Request", direct: "Direct", auto: "Auto" };

const STATE: Record<AssignmentState, string> = {
  delivering: "Being delivered",
  delivered: "Active",
  partiallyDelivered: "Partly delivered",
  deliveryFailed: "Delivery failed",
  expired: "Expired",
  removed: "Removed",
};

/** "who has <package>": one page of holders, Previous/Next and Export CSV (`holders.page`, `holders.csv`). */
export function packageHoldersView(model: PackageHoldersModel): CardMessage {
  const { ctx, pkg, rows, total, page, pageSize } = model;
  const name = safeText(pkg.name, LIMITS.title);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const csv = model.csv;
  return {
    template: "package-holders",
    summary: `Who has ${name} (${total})`,
    data: {
      title: `Who has ${name}`,
      packageId: pkg.id,
      count:
        total === 0
          ? "Nobody has this access package."
          : `${plural(total, "active assignment")}${pages > 1 ? `, page ${page + 1} of ${pages}` : ""}`,
      empty: total === 0,
      items: rows.map(({ assignment: a, how }) => ({
        person: nameOf(ctx, a.userId),
        state: STATE[a.state],
        start: day(a.startAt),
        end: a.endAt ? day(a.endAt) : "No end date",
        how: HOW[how],
      })),
      hasPrevious: page > 0,
      hasNext: page + 1 < pages,
      previousPage: Math.max(0, page - 1),
      nextPage: page + 1,
      page,
      canExport: total > 0 && !csv,
      csvTitle: csv
        ? `CSV export, ${plural(csv.rows, "row")}${csv.truncated ? ` of ${total}: npm run access -- who-has ${pkg.id} --csv exports them all` : ""}`
        : "",
      csv: csv ? safeCsv(csv.text) : "",
    },
  };
}

/**
 * CSV in a multiline input, to select and copy: an input's value is not markdown, so it stays
 * verbatim but for what the template engine would bind; the buttons send no inputs.
 */
function safeCsv(text: string): string {
  return inputValue(text.replace(/\r\n/g, "\n").replace(/\$\{/g, "$ {"), 24_000);
}

/** Where an open request waits: a stage's approvers, the start date, or delivery. */
function waitsFor(model: PackageRequestsModel, r: AccessRequest): string {
  const { ctx } = model;
  const stage = r.currentStage !== undefined ? r.stages[r.currentStage] : undefined;
  if ((r.state === "pendingApproval" || r.state === "submitted") && stage) {
    const count = Math.max(ctx.index.policy(r.policyId)?.approval.stages.length ?? 0, r.stages.length);
    const approvers = stage.escalated ? [...stage.approvers, ...stage.escalationApprovers] : stage.approvers;
    return `Stage ${(r.currentStage ?? 0) + 1} of ${count}: ${namesOf(ctx, approvers)} (${timeLeft(ctx.now, stage.dueAt)})`;
  }
  if (r.state === "scheduled") return `Starts ${day(r.schedule.startAt)}`;
  if (r.state === "approved" || r.state === "delivering") return "Being delivered";
  return stateLabel(r.state);
}

const MAX_REQUESTS = 20;

/** "pending <package>": open requests, oldest first, and where each waits. */
export function packageRequestsView(model: PackageRequestsModel): CardMessage {
  const { ctx, pkg, requests } = model;
  const name = safeText(pkg.name, LIMITS.title);
  return {
    template: "package-requests",
    summary: `Open requests for ${name} (${requests.length})`,
    data: {
      title: `Open requests for ${name}`,
      empty: requests.length === 0,
      more: requests.length > MAX_REQUESTS ? `Showing the oldest ${MAX_REQUESTS} of ${requests.length}.` : "",
      items: requests.slice(0, MAX_REQUESTS).map((r) => ({
        person: nameOf(ctx, r.targetUserId),
        requestedBy: r.requesterId !== r.targetUserId ? `Asked by ${nameOf(ctx, r.requesterId)}` : "",
        submitted: when(r.createdAt),
        waits: waitsFor(model, r),
      })),
    },
  };
}

/** The administrator's answer to `assign <package> to <person>`: what was given, until when. */
export function directlyAssignedView(
  assignment: Assignment | undefined,
  packageTitle: string,
  personName: string,
): CardMessage {
  const name = safeText(personName, LIMITS.name);
  const pkg = safeText(packageTitle, LIMITS.title);
  const until = assignment?.endAt ? `Until ${day(assignment.endAt)}.` : assignment ? "No end date." : "";
  const state = assignment ? STATE[assignment.state] : "Being delivered";
  return noticeView(
    `Assigned: ${pkg} to ${name}`,
    [`${state}. ${until}`.trim(), `${name} is told in their chat.`],
    "good",
  );
}

/** The administrator's answer to `remove <person> from <package>`. */
export function removedByAdminView(
  assignment: Assignment,
  packageTitle: string,
  personName: string,
): CardMessage {
  const name = safeText(personName, LIMITS.name);
  const pkg = safeText(packageTitle, LIMITS.title);
  const stillThere =
    assignment.removal?.status === "removing" || assignment.removal?.status === "removalFailed";
  return noticeView(`Removed: ${pkg} from ${name}`, [
    assignment.removalReason ? `Reason: ${safeText(assignment.removalReason, LIMITS.short)}` : "",
    stillThere
      ? "Taking the access away did not fully work yet: it is retried, and the catalog owners are told if it keeps failing."
      : "Access that another assignment still grants was kept.",
    `${name} is told in their chat.`,
  ]);
}

/**
 * "link for <package>": a Teams deep link that opens the chat with Access Desk with
 * `request <package id>` typed in (the way to a hidden package), or, without a bot app id (local
 * mode), the words to type.
 */
export function packageLinkView(
  pkg: { id: string; name: string; hidden: boolean },
  botAppId?: string,
): CardMessage {
  const name = safeText(pkg.name, LIMITS.title);
  const words = `request ${pkg.id}`;
  const link = botAppId
    ? `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(botAppId)}&message=${encodeURIComponent(words)}`
    : "";
  return noticeView(`Link for ${name}`, [
    link ? `[Open Access Desk with the request](${link})` : "",
    link ? "" : "Without a Teams app id (local mode) there is no link to share.",
    `Anyone may also type: ${safeText(words, LIMITS.short)}`,
    pkg.hidden
      ? "The package is hidden: searching never shows it; the link or its id reaches it."
      : "The package also shows up in search.",
    "Whether someone may request it is still decided by its policies.",
  ]);
}
