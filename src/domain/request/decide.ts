import type { AccessRequest, AssignmentPolicy, DomainEvent, Instant, UserId } from "../model";
import { domainError } from "../errors";
import { err, ok } from "../result";
import { unchanged, type Transition } from "../transition";
import { LIMITS } from "./validate-request";
import { decidesFor } from "../delegation/delegation";
import { activeApprovers, afterApproval, currentStage, isPending, touch } from "./common";

export interface DecideCommand {
  actorId: UserId;
  /** 1-based stage number the card or command refers to. */
  stage: number;
  /** The request revision the card was rendered from; absent for typed commands. */
  revision?: number;
  outcome: "approve" | "deny";
  justification: string;
  /** The approvers whose delegation to the actor is in force now (the app reads them; none: empty). */
  principals?: UserId[];
}

/**
 * An approver's decision on the current stage. Checks run from "never" to "not now" so that the
 * loser of a race learns who decided, and a repeated identical click is a harmless no-op.
 */
export function decide(
  request: AccessRequest,
  cmd: DecideCommand,
  ctx: { now: Instant; policy: AssignmentPolicy },
): Transition<AccessRequest> {
  const { now, policy } = ctx;
  if (cmd.actorId === request.targetUserId || cmd.actorId === request.requesterId) {
    return err(domainError("APPROVAL.SELF_APPROVAL", "You can't approve or deny your own request."));
  }
  const stage = request.stages[cmd.stage - 1];
  if (!Number.isInteger(cmd.stage) || cmd.stage < 1 || !stage) {
    return err(domainError("APPROVAL.STAGE_MISMATCH", `This request has no stage ${cmd.stage} to decide.`));
  }
  // A delegate decides for an approver who delegated to them; self-approval rules bind them too.
  const onBehalfOf = activeApprovers(stage).includes(cmd.actorId)
    ? undefined
    : decidesFor(activeApprovers(stage), cmd.principals ?? [], {
        delegateId: cmd.actorId,
        requesterId: request.requesterId,
        targetUserId: request.targetUserId,
      });
  if (!activeApprovers(stage).includes(cmd.actorId) && !onBehalfOf) {
    return err(
      domainError(
        "APPROVAL.NOT_AN_APPROVER",
        `You aren't an approver of stage ${cmd.stage} of this request.`,
      ),
    );
  }
  if (stage.decision) {
    const d = stage.decision;
    if (d.by === cmd.actorId && d.outcome === cmd.outcome) return ok(unchanged(request));
    const who = d.by === "system" ? "the system" : d.by;
    return err(
      domainError(
        "APPROVAL.ALREADY_DECIDED",
        `Stage ${cmd.stage} was already decided (${d.outcome}) by ${who} at ${d.at}.`,
        {
          details: { by: d.by, at: d.at, outcome: d.outcome },
        },
      ),
    );
  }
  if (!isPending(request)) {
    return err(
      domainError("REQUEST.NOT_PENDING", `This request is ${request.state}; there is nothing to decide.`),
    );
  }
  const current = currentStage(request);
  if (!current || current.index !== stage.index) {
    return err(
      domainError("APPROVAL.STAGE_MISMATCH", `Stage ${cmd.stage} isn't the stage being decided now.`),
    );
  }
  const material = request.materialRevision ?? 1;
  if (cmd.revision !== undefined && (cmd.revision < material || cmd.revision > request.revision)) {
    return err(domainError("APPROVAL.STALE_CARD", "This card is out of date; here is the current request."));
  }
  const justification = (cmd.justification ?? "").trim();
  const spec = policy.approval.stages[stage.index];
  if (spec?.approverJustificationRequired && justification.length === 0) {
    return err(domainError("APPROVAL.JUSTIFICATION_REQUIRED", "Give a reason for your decision."));
  }
  if (justification.length > LIMITS.justification) {
    return err(
      domainError("REQUEST.INVALID", "The reason is too long.", {
        problems: [{ field: "justification", message: `Keep it under ${LIMITS.justification} characters.` }],
      }),
    );
  }

  const proxy = onBehalfOf ? { onBehalfOf } : {};
  const decision = { outcome: cmd.outcome, by: cmd.actorId, ...proxy, at: now, justification };
  const decided = { ...current, decision };
  const stages = request.stages.map((s) => (s.index === current.index ? decided : s));
  if (cmd.outcome === "deny") {
    const reason = justification || `Denied at stage ${cmd.stage}.`;
    return ok({
      next: touch(request, now, { state: "denied", currentStage: undefined, stages, outcomeReason: reason }),
      events: [
        { type: "RequestDenied", requestId: request.id, stage: cmd.stage, by: cmd.actorId, reason, ...proxy },
      ],
      deadlines: [],
      changed: true,
    });
  }

  const events: DomainEvent[] = [
    {
      type: "StageApproved",
      requestId: request.id,
      stage: cmd.stage,
      by: cmd.actorId,
      justification,
      ...proxy,
    },
  ];
  const isLast = current.index + 1 >= policy.approval.stages.length;
  if (!isLast) {
    // The next stage begins when the use case has resolved its approvers (beginStage).
    return ok({
      next: touch(request, now, { stages, currentStage: current.index + 1 }),
      events,
      deadlines: [],
      changed: true,
    });
  }
  const approved = afterApproval(touch(request, now, { stages }), now);
  return ok({ ...approved, events: [...events, ...approved.events], changed: true });
}
