import type { AccessPackage, AccessRequest, Assignment, AssignmentPolicy, Instant } from "../model";
import { domainError } from "../errors";
import { err, ok } from "../result";
import type { Transition } from "../transition";
import { isAfter } from "../time";
import { cappedEnd } from "./expiry";
import { expiryDeadlines } from "./lifecycle";

export interface CreateAssignmentContext {
  now: Instant;
  id: string;
  /** Per resource role of the package, in order: whether the user held it before this assignment. */
  heldBefore: boolean[];
  reminderOffsetsHours?: number[];
}

/**
 * The assignment an approved request grants. Access starts now (or at the requested later start)
 * and ends at the requested end, never later than the policy's expiry allows from the start.
 */
export function createAssignment(
  request: AccessRequest,
  policy: AssignmentPolicy,
  pkg: AccessPackage,
  ctx: CreateAssignmentContext,
): Transition<Assignment> {
  if (request.state !== "delivering") {
    return err(
      domainError(
        "REQUEST.NOT_PENDING",
        `Request ${request.id} is ${request.state}, not ready for delivery.`,
      ),
    );
  }
  const { now } = ctx;
  const requestedStart = request.schedule.startAt;
  const startAt = requestedStart !== undefined && isAfter(requestedStart, now) ? requestedStart : now;
  const endAt = cappedEnd(policy.lifecycle.expiry, startAt, request.schedule.endAt);
  const assignment: Assignment = {
    id: ctx.id,
    userId: request.targetUserId,
    packageId: pkg.id,
    policyId: policy.id,
    requestId: request.id,
    state: "delivering",
    startAt,
    endAt,
    resources: pkg.resourceRoles.map((role, i) => ({
      role,
      status: "pending",
      attempts: 0,
      heldBefore: ctx.heldBefore[i] ?? false,
    })),
    remindersSent: [],
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
  return ok({
    next: assignment,
    events: [{ type: "DeliveryStarted", requestId: request.id, assignmentId: assignment.id }],
    deadlines: expiryDeadlines(assignment, ctx.reminderOffsetsHours),
    changed: true,
  });
}
