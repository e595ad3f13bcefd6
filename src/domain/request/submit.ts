import { auditedAnswers } from "../audit/submitted";
import type { AccessRequest, Assignment, AssignmentPolicy, Instant, RequestType, UserId } from "../model";
import { OPEN_REQUEST_STATES } from "../model";
import { holdsAccess } from "../assignment/failed-grants";
import { domainError } from "../errors";
import { err, ok } from "../result";
import type { Transition } from "../transition";
import type { ValidRequestInput } from "./validate-request";
import { afterApproval } from "./common";

export interface SubmitCommand {
  id: string;
  type: RequestType;
  requesterId: UserId | "system";
  targetUserId: UserId;
  policy: AssignmentPolicy;
  input: ValidRequestInput;
  /** Direct assignment by an administrator or by the system: no approval stages. */
  skipApproval?: boolean;
  /** For an extension ("userExtend"): the assignment to extend. */
  assignmentId?: string;
}

export interface SubmitContext {
  now: Instant;
  /** The target user's requests (any state); open ones for the same package block a new one. */
  requestsOfTarget: AccessRequest[];
  assignmentsOfTarget: Assignment[];
}

/**
 * Creates the request. With approval it waits in "submitted" for its first stage to begin; without
 * approval it is approved at once (then scheduled or delivering).
 */
export function submitRequest(cmd: SubmitCommand, ctx: SubmitContext): Transition<AccessRequest> {
  const { policy } = cmd;
  const { now } = ctx;
  const packageId = policy.packageId;
  const open = ctx.requestsOfTarget.find(
    (r) =>
      r.packageId === packageId &&
      r.targetUserId === cmd.targetUserId &&
      OPEN_REQUEST_STATES.includes(r.state),
  );
  if (open) {
    return err(
      domainError("REQUEST.DUPLICATE", "There is already an open request for this package.", {
        details: { requestId: open.id, state: open.state },
      }),
    );
  }
  // A delivery that gave up with nothing granted does not count: the person may ask again.
  const held = ctx.assignmentsOfTarget.find(
    (a) => a.packageId === packageId && a.userId === cmd.targetUserId && holdsAccess(a),
  );
  if (held && cmd.type !== "userExtend") {
    return err(
      domainError(
        "REQUEST.ALREADY_ASSIGNED",
        "This access is already assigned; ask for an extension instead.",
        {
          details: { assignmentId: held.id },
        },
      ),
    );
  }

  const request: AccessRequest = {
    id: cmd.id,
    type: cmd.type,
    requesterId: cmd.requesterId,
    targetUserId: cmd.targetUserId,
    packageId,
    policyId: policy.id,
    justification: cmd.input.justification,
    answers: cmd.input.answers,
    schedule: cmd.input.schedule,
    state: "submitted",
    stages: [],
    createdAt: now,
    updatedAt: now,
    revision: 1,
    materialRevision: 1,
  };
  if (cmd.assignmentId !== undefined) request.assignmentId = cmd.assignmentId;
  // The justification and answers travel with the event, so its audit entry (rebuilt from the
  // journal after a crash) records them.
  const submitted = {
    type: "RequestSubmitted" as const,
    requestId: request.id,
    justification: request.justification,
    ...(Object.keys(request.answers).length > 0 ? { answers: auditedAnswers(request.answers) } : {}),
  };

  if (cmd.skipApproval || !policy.approval.required) {
    const approved = afterApproval(request, now);
    return ok({ ...approved, events: [submitted, ...approved.events], changed: true });
  }
  return ok({ next: request, events: [submitted], deadlines: [], changed: true });
}
