import type { AccessRequest, AssignmentPolicy, RequestState, StageDecision } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, namesOf, packageName } from "./context";
import { LIMITS, safeText } from "./text";
import { periodText, timeLeft, when } from "./time";

const STATE_LABEL: Record<RequestState, string> = {
  submitted: "Submitted",
  pendingApproval: "Waiting for approval",
  approved: "Approved",
  scheduled: "Approved, starts later",
  delivering: "Being delivered",
  delivered: "Delivered",
  partiallyDelivered: "Partly delivered",
  deliveryFailed: "Delivery failed",
  denied: "Denied",
  canceled: "Canceled",
  expired: "Expired without a decision",
};

export const stateLabel = (state: RequestState): string => STATE_LABEL[state];

/** "Approved by Ana at T: reason" */
export function decisionText(ctx: ViewContext, d: StageDecision): string {
  const verb = d.outcome === "approve" ? "Approved" : "Denied";
  const reason = d.justification ? `: ${safeText(d.justification, LIMITS.short)}` : "";
  // A delegate's decision reads "Diego Siciliani for Megan Bowen".
  const by = d.onBehalfOf ? `${nameOf(ctx, d.by)} for ${nameOf(ctx, d.onBehalfOf)}` : nameOf(ctx, d.by);
  return `${verb} by ${by} at ${when(d.at)}${reason}`;
}

export interface StageLine {
  label: string;
  text: string;
}

/** One line per stage of the policy: decided, waiting (for whom, how long) or not started. */
export function stageLines(ctx: ViewContext, request: AccessRequest, policy?: AssignmentPolicy): StageLine[] {
  const count = Math.max(policy?.approval.stages.length ?? 0, request.stages.length);
  const lines: StageLine[] = [];
  for (let i = 0; i < count && i < 5; i++) {
    const stage = request.stages[i];
    const label = `Stage ${i + 1} of ${count}`;
    if (!stage) lines.push({ label, text: "Not started" });
    else if (stage.decision) lines.push({ label, text: decisionText(ctx, stage.decision) });
    else if (
      request.currentStage === i &&
      (request.state === "pendingApproval" || request.state === "submitted")
    ) {
      const approvers = stage.escalated
        ? [...stage.approvers, ...stage.escalationApprovers]
        : stage.approvers;
      lines.push({
        label,
        text: `Waiting for ${namesOf(ctx, approvers)} (${timeLeft(ctx.now, stage.dueAt)})`,
      });
    } else lines.push({ label, text: "Not decided" });
  }
  return lines;
}

/** The requester's view of one request, with Cancel while it is still open to cancel. */
export function requestStatusView(ctx: ViewContext, request: AccessRequest, viewerId?: string): CardMessage {
  const policy = ctx.index.policy(request.policyId);
  const pkgName = packageName(ctx, request.packageId);
  const onBehalf = request.requesterId !== request.targetUserId;
  const cancellable =
    ["submitted", "pendingApproval"].includes(request.state) &&
    (viewerId === undefined || viewerId === request.requesterId);
  const title =
    request.state === "submitted" || request.state === "pendingApproval"
      ? `Request submitted: ${pkgName}`
      : `Request ${stateLabel(request.state).toLowerCase()}: ${pkgName}`;
  return {
    template: "request-status",
    summary: `${pkgName}: ${stateLabel(request.state)}`,
    data: {
      requestId: request.id,
      revision: request.revision,
      title,
      packageName: pkgName,
      status: stateLabel(request.state),
      forName: onBehalf ? nameOf(ctx, request.targetUserId) : "",
      requestedBy: onBehalf ? nameOf(ctx, request.requesterId) : "",
      submittedAt: when(request.createdAt),
      period: policy ? periodText(request.schedule, policy.lifecycle.expiry) : "",
      justification: safeText(request.justification, LIMITS.long),
      outcomeReason: safeText(request.outcomeReason, LIMITS.short),
      stages: stageLines(ctx, request, policy),
      canCancel: cancellable,
    },
  };
}
