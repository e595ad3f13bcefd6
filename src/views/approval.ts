import type { AccessRequest } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, packageName, resourceLine } from "./context";
import { decisionText, stageLines, stateLabel } from "./request";
import { LIMITS, safeText } from "./text";
import { periodText, timeLeft, when } from "./time";
import { MAX_REFRESH_USERS } from "../ports/read-models";

export { MAX_REFRESH_USERS };

export interface ApprovalViewOptions {
  /** Show Approve/Deny: the viewer is an approver of the stage being decided. */
  actionable: boolean;
  /** Teams user ids that get the card refreshed automatically (the stage's approvers). */
  refreshUserIds: string[];
  /** Separation-of-duties conflicts of the person who would get the access, already in words. */
  sodWarnings?: string[];
  /** Delegates in force of the stage's approvers: delegate id -> the approver they decide for. */
  delegates?: ReadonlyMap<string, string>;
  /** A line above the card, and who sees it (an approver is told "You approved …"). */
  notice?: ApprovalNotice;
  viewerId?: string;
}

/**
 * A line above a card answering a click that changed nothing. `alreadyDecidedStage`: the 1-based
 * stage the click tried to decide, which already has a decision (who, when, outcome and reason are
 * read from the request); a string is plain text, made safe here.
 */
export type ApprovalNotice = string | { alreadyDecidedStage: number };

/** The notice as card text: names, reasons and plain text escaped once, the time as a date macro. */
function approvalNoticeText(
  ctx: ViewContext,
  request: AccessRequest,
  notice: ApprovalNotice | undefined,
  viewerId: string | undefined,
): string {
  if (notice === undefined) return "";
  if (typeof notice === "string") return safeText(notice, LIMITS.short);
  const stage = notice.alreadyDecidedStage;
  const decision = request.stages[stage - 1]?.decision;
  if (!decision) return "";
  if (viewerId === undefined || decision.by !== viewerId)
    return `Already decided. ${decisionText(ctx, decision)}`;
  // The clicker's own earlier decision (a Deny on the card they approved from): say it was theirs.
  const verb = decision.outcome === "approve" ? "approved" : "denied";
  const reason = decision.justification ? `: ${safeText(decision.justification, LIMITS.short)}` : "";
  return `Already decided. You ${verb} stage ${stage} at ${when(decision.at)}${reason}`;
}

function common(ctx: ViewContext, request: AccessRequest) {
  const pkg = ctx.index.package(request.packageId);
  const onBehalf = request.requesterId !== request.targetUserId;
  return {
    requestId: request.id,
    packageName: packageName(ctx, request.packageId),
    requesterName: nameOf(ctx, request.requesterId),
    targetName: nameOf(ctx, request.targetUserId),
    forLine: onBehalf ? `For ${nameOf(ctx, request.targetUserId)}` : "",
    justification: safeText(request.justification, LIMITS.long) || "(none given)",
    resources: (pkg?.resourceRoles ?? []).slice(0, 20).map(resourceLine),
  };
}

/** The approver's card while a stage is pending; the base copy stays read-only, refresh adds buttons. */
export function approvalView(
  ctx: ViewContext,
  request: AccessRequest,
  options: ApprovalViewOptions,
): CardMessage {
  const policy = ctx.index.policy(request.policyId);
  const stageIndex = request.currentStage ?? 0;
  const stage = request.stages[stageIndex];
  const stageCount = Math.max(policy?.approval.stages.length ?? 0, request.stages.length, 1);
  const questions = new Map((policy?.request.questions ?? []).map((q) => [q.id, q.text]));
  const base = common(ctx, request);
  const reasonRequired = policy?.approval.stages[stageIndex]?.approverJustificationRequired ?? false;
  return {
    template: "approval",
    summary: `${base.requesterName} asks for ${base.packageName}`,
    data: {
      ...base,
      stage: stageIndex + 1,
      revision: request.revision,
      stageLabel: `Stage ${stageIndex + 1} of ${stageCount}`,
      answers: Object.entries(request.answers)
        .slice(0, 10)
        .map(([id, answer]) => ({
          question: safeText(questions.get(id) ?? id, LIMITS.title),
          answer: safeText(answer, LIMITS.short),
        })),
      period: policy ? periodText(request.schedule, policy.lifecycle.expiry) : "",
      sodWarnings: (options.sodWarnings ?? []).slice(0, 5).map((w) => ({ text: safeText(w, LIMITS.short) })),
      hasSodWarnings: (options.sodWarnings ?? []).length > 0,
      timeLeft: stage ? `${timeLeft(ctx.now, stage.dueAt)}, decide by ${when(stage.dueAt)}` : "",
      previous: stageLines(ctx, request, policy).slice(0, stageIndex),
      actionable: options.actionable,
      delegatedFor: delegatedForLine(ctx, request, options),
      notice: approvalNoticeText(ctx, request, options.notice, options.viewerId),
      reasonRequired,
      reasonLabel: reasonRequired ? "Reason (required)" : "Reason (optional)",
      refreshUserIds: options.refreshUserIds.slice(0, MAX_REFRESH_USERS),
    },
  };
}

/** What every copy of an approval card shows once the request left the approver's hands. */
export function approvalDecidedView(
  ctx: ViewContext,
  request: AccessRequest,
  notice?: ApprovalNotice,
  viewerId?: string,
): CardMessage {
  const policy = ctx.index.policy(request.policyId);
  const base = common(ctx, request);
  const decided = request.stages.filter((s) => s.decision);
  const last = decided[decided.length - 1]?.decision;
  let headline = stateLabel(request.state);
  if (request.state === "canceled") headline = `Canceled by ${nameOf(ctx, request.requesterId)}`;
  else if (request.state === "expired") headline = "Expired: nobody decided in time";
  else if (last) headline = decisionText(ctx, last);
  return {
    template: "approval-decided",
    summary: `${base.packageName} for ${base.targetName}: ${stateLabel(request.state)}`,
    data: {
      ...base,
      headline,
      notice: approvalNoticeText(ctx, request, notice, viewerId),
      positive: !["denied", "canceled", "expired", "deliveryFailed"].includes(request.state),
      status: stateLabel(request.state),
      stages: stageLines(ctx, request, policy),
      outcomeReason: safeText(request.outcomeReason, LIMITS.short),
    },
  };
}

/** The approver a viewing delegate decides for, if the viewer is one and may decide this request. */
function decidesForViewer(
  request: AccessRequest,
  approvers: readonly string[],
  viewerId: string | undefined,
  delegates: ReadonlyMap<string, string> | undefined,
): string | undefined {
  if (viewerId === undefined || viewerId === request.requesterId || viewerId === request.targetUserId) return;
  const principal = delegates?.get(viewerId);
  return principal && approvers.includes(principal) ? principal : undefined;
}

function delegatedForLine(ctx: ViewContext, request: AccessRequest, options: ApprovalViewOptions): string {
  const principal = options.actionable ? options.delegates?.get(options.viewerId ?? "") : undefined;
  return principal &&
    principal !== options.viewerId &&
    decidesForViewer(request, [principal], options.viewerId, options.delegates)
    ? `You decide for ${nameOf(ctx, principal)} while they are away.`
    : "";
}

const isOpen = (r: AccessRequest): boolean => r.state === "submitted" || r.state === "pendingApproval";

/** The right view of an approval card for a viewer, from stored state. */
export function approvalCardFor(
  ctx: ViewContext,
  request: AccessRequest,
  viewerId: string | undefined,
  options: Omit<ApprovalViewOptions, "actionable" | "viewerId">,
): CardMessage {
  if (!isOpen(request) || request.currentStage === undefined)
    return approvalDecidedView(ctx, request, options.notice, viewerId);
  const stage = request.stages[request.currentStage];
  const approvers = stage
    ? stage.escalated
      ? [...stage.approvers, ...stage.escalationApprovers]
      : stage.approvers
    : [];
  const mayDecide =
    viewerId !== undefined &&
    (approvers.includes(viewerId) || !!decidesForViewer(request, approvers, viewerId, options.delegates));
  const actionable = mayDecide && !stage?.decision;
  return approvalView(ctx, request, { ...options, actionable, viewerId });
}
