import type { AccessRequest, ApprovalStage, AssignmentPolicy, Deadline, Instant, UserId } from "../model";
import { domainError } from "../errors";
import { err, ok } from "../result";
import { unchanged, type Transition } from "../transition";
import { addDays, isBefore, midpoint } from "../time";
import {
  activeApprovers,
  awaitingStage,
  currentStage,
  DEFAULT_DECISION_WINDOW_DAYS,
  touch,
  unique,
} from "./common";

/** Approvers resolved from the stage's specs when the stage begins (by the use case, via the directory). */
export interface ResolvedApprovers {
  primary: UserId[];
  fallback: UserId[];
  escalation: UserId[];
}

const NO_APPROVER_REASON =
  "Nobody could be found to approve this request, so it was denied. Contact the catalog owner.";

/**
 * Fixes the approvers of the next stage. The requester and the target never approve their own
 * request; with nobody left the request is denied (fail closed), never approved.
 */
export function beginStage(
  request: AccessRequest,
  policy: AssignmentPolicy,
  resolved: ResolvedApprovers,
  now: Instant,
): Transition<AccessRequest> {
  const index = awaitingStage(request);
  if (index === undefined)
    return err(domainError("REQUEST.NOT_PENDING", "This request isn't waiting for approval."));
  const stageNumber = index + 1;
  const spec = policy.approval.stages[index];
  const self = new Set<string>([request.requesterId, request.targetUserId]);
  const eligible = (ids: UserId[]) => unique(ids).filter((id) => !self.has(id));
  const primary = eligible(resolved.primary);
  const fallbackUsed = primary.length === 0;
  const approvers = fallbackUsed ? eligible(resolved.fallback) : primary;
  const windowDays =
    spec && spec.decisionWindowDays > 0 ? spec.decisionWindowDays : DEFAULT_DECISION_WINDOW_DAYS;
  const dueAt = addDays(now, windowDays);
  const stage: ApprovalStage = {
    index,
    approvers,
    fallbackUsed,
    startedAt: now,
    dueAt,
    escalationApprovers: spec?.escalation ? eligible(resolved.escalation) : [],
    escalated: false,
  };

  if (!spec || approvers.length === 0) {
    const denied = touch(request, now, {
      state: "denied",
      currentStage: undefined,
      stages: [
        ...request.stages,
        { ...stage, decision: { outcome: "deny", by: "system", at: now, justification: NO_APPROVER_REASON } },
      ],
      outcomeReason: NO_APPROVER_REASON,
      outcomeCode: "APPROVAL.NO_APPROVER",
    });
    return ok({
      next: denied,
      events: [
        {
          type: "RequestDenied",
          requestId: request.id,
          stage: stageNumber,
          by: "system",
          reason: NO_APPROVER_REASON,
        },
      ],
      deadlines: [],
      changed: true,
    });
  }

  const deadline = (kind: Deadline["kind"], at: Instant): Deadline => ({
    kind,
    dueAt: at,
    subjectId: request.id,
    discriminator: String(stageNumber),
  });
  const deadlines: Deadline[] = [
    deadline("approvalReminder", midpoint(now, dueAt)),
    deadline("decisionWindowEnd", dueAt),
  ];
  if (spec.escalation && stage.escalationApprovers.length > 0) {
    const escalateAt = addDays(now, spec.escalation.afterDays);
    if (isBefore(escalateAt, dueAt)) {
      stage.escalateAt = escalateAt;
      deadlines.push(deadline("approvalEscalation", escalateAt));
    }
  }
  const revision = request.revision + 1;
  const next = touch(request, now, {
    state: "pendingApproval",
    currentStage: index,
    stages: [...request.stages, stage],
    materialRevision: revision,
  });
  return ok({
    next,
    events: [{ type: "StageStarted", requestId: request.id, stage: stageNumber, approvers, fallbackUsed }],
    deadlines,
    changed: true,
  });
}

/** The stage a deadline is about, if it is still the undecided current stage. */
function liveStage(request: AccessRequest, stageNumber: number): ApprovalStage | undefined {
  const stage = currentStage(request);
  return stage && stage.index === stageNumber - 1 && !stage.decision ? stage : undefined;
}

const withStage = (request: AccessRequest, stage: ApprovalStage): ApprovalStage[] =>
  request.stages.map((s) => (s.index === stage.index ? stage : s));

/** The escalation deadline: escalation approvers join; the primaries can still decide. */
export function escalateStage(
  request: AccessRequest,
  stageNumber: number,
  now: Instant,
): Transition<AccessRequest> {
  const stage = liveStage(request, stageNumber);
  if (!stage || stage.escalated || stage.escalationApprovers.length === 0) return ok(unchanged(request));
  if (stage.escalateAt && isBefore(now, stage.escalateAt)) return ok(unchanged(request));
  const escalated = { ...stage, escalated: true };
  return ok({
    next: touch(request, now, { stages: withStage(request, escalated) }),
    events: [
      {
        type: "StageEscalated",
        requestId: request.id,
        stage: stageNumber,
        approvers: stage.escalationApprovers,
      },
    ],
    deadlines: [],
    changed: true,
  });
}

/** The reminder deadline: approvers are reminded once per stage. */
export function remindApprovers(
  request: AccessRequest,
  stageNumber: number,
  now: Instant,
): Transition<AccessRequest> {
  const stage = liveStage(request, stageNumber);
  if (!stage || stage.remindedAt) return ok(unchanged(request));
  const reminded = { ...stage, remindedAt: now };
  return ok({
    next: touch(request, now, { stages: withStage(request, reminded) }),
    events: [
      {
        type: "ApproversReminded",
        requestId: request.id,
        stage: stageNumber,
        approvers: activeApprovers(stage),
      },
    ],
    deadlines: [],
    changed: true,
  });
}

/** The decision window ended without a decision: the request expires, denied by the system. */
export function endDecisionWindow(
  request: AccessRequest,
  stageNumber: number,
  now: Instant,
): Transition<AccessRequest> {
  const stage = liveStage(request, stageNumber);
  if (!stage || isBefore(now, stage.dueAt)) return ok(unchanged(request));
  const reason = `Nobody decided within the decision window of stage ${stageNumber}, so the request was denied.`;
  const decided = {
    ...stage,
    decision: { outcome: "deny" as const, by: "system" as const, at: now, justification: reason },
  };
  return ok({
    next: touch(request, now, {
      state: "expired",
      currentStage: undefined,
      stages: withStage(request, decided),
      outcomeReason: reason,
    }),
    events: [{ type: "RequestExpired", requestId: request.id, stage: stageNumber }],
    deadlines: [],
    changed: true,
  });
}
