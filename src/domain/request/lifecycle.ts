import type { AccessRequest, Assignment, AssignmentState, Instant, UserId } from "../model";
import { domainError } from "../errors";
import { err, ok } from "../result";
import { unchanged, type Transition } from "../transition";
import { isBefore } from "../time";
import { deliverySafetyNet, isPending, touch } from "./common";

/** The requester withdraws a request that is still waiting for approval. */
export function cancelRequest(
  request: AccessRequest,
  cmd: { actorId: UserId; reason?: string },
  now: Instant,
): Transition<AccessRequest> {
  if (cmd.actorId !== request.requesterId) {
    return err(domainError("REQUEST.NOT_YOURS", "Only the person who asked can cancel this request."));
  }
  if (!isPending(request)) {
    return err(domainError("REQUEST.NOT_PENDING", `This request is ${request.state}; it can't be canceled.`));
  }
  const reason = cmd.reason?.trim() || "Canceled by the requester.";
  return ok({
    next: touch(request, now, { state: "canceled", currentStage: undefined, outcomeReason: reason }),
    events: [{ type: "RequestCanceled", requestId: request.id, by: cmd.actorId, reason }],
    deadlines: [],
    changed: true,
  });
}

/** The requested start arrived: the approved request moves on to delivery. */
export function startScheduled(request: AccessRequest, now: Instant): Transition<AccessRequest> {
  const startAt = request.schedule.startAt;
  if (request.state !== "scheduled" || (startAt !== undefined && isBefore(now, startAt))) {
    return ok(unchanged(request));
  }
  return ok({
    next: touch(request, now, { state: "delivering" }),
    events: [],
    deadlines: [deliverySafetyNet(request.id, now)],
    changed: true,
  });
}

const DELIVERABLE: AccessRequest["state"][] = ["delivering", "partiallyDelivered", "deliveryFailed"];

export const isDeliverable = (request: AccessRequest): boolean => DELIVERABLE.includes(request.state);

/** Mirrors the assignment's delivery state on the request that asked for it. */
export function recordRequestDelivery(
  request: AccessRequest,
  assignmentId: string,
  state: AssignmentState,
  now: Instant,
  reason?: string,
): Transition<AccessRequest> {
  if (!isDeliverable(request))
    return err(domainError("REQUEST.NOT_PENDING", `This request is ${request.state}.`));
  const next: AccessRequest["state"] =
    state === "delivered" || state === "partiallyDelivered" || state === "deliveryFailed"
      ? state
      : "delivering";
  if (next === request.state && request.assignmentId === assignmentId && request.outcomeReason === reason) {
    return ok(unchanged(request));
  }
  return ok({
    next: touch(request, now, { state: next, assignmentId, outcomeReason: reason }),
    events: [],
    deadlines: [],
    changed: true,
  });
}

/** Why a delivery is not complete: the resources whose grants failed, with their last error. */
export function deliveryFailures(assignment: Assignment): string | undefined {
  const failures = assignment.resources
    .filter((r) => r.status === "failed")
    .map((r) => `${r.role.displayName}: ${r.lastError ?? "failed"}`);
  return failures.length > 0 ? failures.join("; ") : undefined;
}

/**
 * The request as its delivery leaves it. Delivery saves the assignment (whose notices may already
 * be planned) before it mirrors the outcome on the request, so a notice rendering the request
 * shows what the request is about to say, not the moment in between.
 */
export function requestAfterDelivery(
  request: AccessRequest,
  assignment: Assignment,
  now: Instant,
): AccessRequest {
  if (assignment.requestId !== request.id) return request;
  const mirrored = recordRequestDelivery(
    request,
    assignment.id,
    assignment.state,
    now,
    deliveryFailures(assignment),
  );
  return mirrored.ok ? mirrored.value.next : request;
}
