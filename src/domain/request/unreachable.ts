import type { AccessRequest, ApprovalStage, Instant, UserId } from "../model";
import { isExtensionActor } from "../extensions/model";
import { ok } from "../result";
import { unchanged, type Transition } from "../transition";
import { activeApprovers, currentStage, touch, unique } from "./common";

/** Approval cards of one stage that Teams refused for good, and what the use case resolved. */
export interface UnreachableReport {
  /** 1-based stage number the refused cards were for. */
  stage: number;
  /** Who could not be reached (approvers or their delegates). */
  unreachable: UserId[];
  /** The stage's fallback approvers, resolved now for the target user. */
  fallback: UserId[];
  /** Delegates in force: approver -> the delegate who also got the card. */
  delegates: Readonly<Record<UserId, UserId>>;
}

/** Someone who can act on the stage got it: an approver, their delegate, or an approval extension. */
function someoneReached(
  stage: ApprovalStage,
  gone: ReadonlySet<UserId>,
  delegates: UnreachableReport["delegates"],
) {
  return activeApprovers(stage).some((approver) => {
    if (isExtensionActor(approver) || !gone.has(approver)) return true;
    const delegate = delegates[approver];
    return delegate !== undefined && !gone.has(delegate);
  });
}

/**
 * Approval cards refused for good: the people are remembered on the stage and, when nobody who may
 * decide it was reached, its fallback approvers join it (once), so the request is not left waiting
 * for people who never see it. A stale report (the stage moved on or was decided) changes nothing;
 * the same report twice changes nothing. The requester and the target never approve.
 */
export function fallBackForUnreachable(
  request: AccessRequest,
  report: UnreachableReport,
  now: Instant,
): Transition<AccessRequest> {
  const stage = currentStage(request);
  if (!stage || stage.decision || stage.index !== report.stage - 1) return ok(unchanged(request));
  const known = stage.unreachable ?? [];
  const unreachable = unique([...known, ...report.unreachable]);
  const gone = new Set(unreachable);
  const self = new Set<UserId>([request.requesterId, request.targetUserId]);
  const added =
    stage.fallbackUsed || stage.fallbackAdded || someoneReached(stage, gone, report.delegates)
      ? []
      : unique(report.fallback).filter(
          (id) => !self.has(id) && !gone.has(id) && !stage.approvers.includes(id),
        );
  if (added.length === 0 && unreachable.length === known.length) return ok(unchanged(request));
  const next: ApprovalStage = {
    ...stage,
    unreachable,
    ...(added.length > 0
      ? { approvers: [...stage.approvers, ...added], fallbackAdded: { at: now, approvers: added } }
      : {}),
  };
  return ok({
    next: touch(request, now, { stages: request.stages.map((s) => (s.index === stage.index ? next : s)) }),
    events:
      added.length > 0
        ? [
            {
              type: "FallbackApproversAdded",
              requestId: request.id,
              stage: report.stage,
              approvers: added,
              unreachable,
            },
          ]
        : [],
    deadlines: [],
    changed: true,
  });
}
