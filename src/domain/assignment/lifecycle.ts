import type { Assignment, AssignmentPolicy, Deadline, Instant, UserId } from "../model";
import { ACTIVE_ASSIGNMENT_STATES } from "../model";
import { domainError } from "../errors";
import { err, ok } from "../result";
import { unchanged, type Transition } from "../transition";
import { addHours, isAfter, isBefore, isValidInstant } from "../time";
import { cappedEnd } from "./expiry";
import { removalSafety } from "./removal";

/** Expiry reminders 14 days and 1 day before the end, in hours. */
export const DEFAULT_REMINDER_OFFSETS_HOURS = [336, 24];

export const isActive = (a: Assignment): boolean => ACTIVE_ASSIGNMENT_STATES.includes(a.state);

/** Reminders before the end (only those after the start) and the expiry itself; none without an end. */
export function expiryDeadlines(
  assignment: Assignment,
  offsetsHours: number[] = DEFAULT_REMINDER_OFFSETS_HOURS,
): Deadline[] {
  const { endAt } = assignment;
  if (endAt === undefined) return [];
  const deadlines: Deadline[] = offsetsHours
    .map((h) => ({ h, at: addHours(endAt, -h) }))
    .filter(({ at }) => isAfter(at, assignment.startAt))
    .map(({ h, at }) => ({
      kind: "expiryReminder",
      dueAt: at,
      subjectId: assignment.id,
      discriminator: String(h),
    }));
  deadlines.push({ kind: "expiry", dueAt: endAt, subjectId: assignment.id, discriminator: "end" });
  return deadlines;
}

export type RemovedBy =
  | { kind: "user"; userId: UserId }
  | { kind: "admin"; userId: UserId }
  | { kind: "system" };

/**
 * Why a user may not remove an assignment and whom to ask. The rule: the person who has it, when
 * the policy allows self-removal, or an owner of the package's catalog.
 */
function removalRefusal(userId: UserId, assignment: Assignment, policy: AssignmentPolicy): string {
  const holderMay = policy.lifecycle.selfRemoval;
  if (userId !== assignment.userId) {
    return holderMay
      ? "This is someone else's access: only the person who has it, or an owner of its catalog, can remove it. If it should end, ask one of them."
      : "This is someone else's access: only an owner of its catalog can remove it. If it should end, ask a catalog owner.";
  }
  return "Only an owner of its catalog can remove this access; its policy doesn't let the person who has it remove it. Ask a catalog owner if you no longer need it.";
}

/**
 * Ends an active assignment. A user may remove only their own, and only when the policy allows
 * it; whether an admin is allowed is decided by the caller (catalog ownership). Revocation follows;
 * its `removalRetry` safety deadline resumes it if the process dies first.
 */
export function removeAssignment(
  assignment: Assignment,
  by: RemovedBy,
  ctx: { now: Instant; policy: AssignmentPolicy; reason: string },
): Transition<Assignment> {
  if (!isActive(assignment)) {
    return err(domainError("ASSIGNMENT.NOT_ACTIVE", `This access is already ${assignment.state}.`));
  }
  if (by.kind === "user" && (by.userId !== assignment.userId || !ctx.policy.lifecycle.selfRemoval)) {
    return err(
      domainError("ASSIGNMENT.REMOVAL_NOT_ALLOWED", removalRefusal(by.userId, assignment, ctx.policy)),
    );
  }
  const reason =
    ctx.reason.trim() || (by.kind === "system" ? "Removed automatically." : "Removed on request.");
  return ok({
    next: {
      ...assignment,
      state: "removed",
      removedAt: ctx.now,
      removalReason: reason,
      updatedAt: ctx.now,
      revision: assignment.revision + 1,
    },
    events: [{ type: "AssignmentRemoved", assignmentId: assignment.id, reason }],
    deadlines: [removalSafety(assignment.id, ctx.now)],
    changed: true,
  });
}

/**
 * The end date arrived: the assignment expires (revocation follows, with a `removalRetry` safety
 * net). A moved end makes this a no-op.
 */
export function expireAssignment(assignment: Assignment, now: Instant): Transition<Assignment> {
  if (!isActive(assignment) || assignment.endAt === undefined || isBefore(now, assignment.endAt)) {
    return ok(unchanged(assignment));
  }
  return ok({
    next: { ...assignment, state: "expired", updatedAt: now, revision: assignment.revision + 1 },
    events: [{ type: "AssignmentExpired", assignmentId: assignment.id }],
    deadlines: [removalSafety(assignment.id, now)],
    changed: true,
  });
}

/**
 * Extends an active assignment: the new end is the requested one, capped by the policy's expiry
 * counted from now. Approval (when the policy wants it) happens before this is called.
 */
export function extendAssignment(
  assignment: Assignment,
  ctx: { now: Instant; policy: AssignmentPolicy; requestedEndAt?: Instant; reminderOffsetsHours?: number[] },
): Transition<Assignment> {
  const { now, policy } = ctx;
  if (!isActive(assignment)) {
    return err(domainError("ASSIGNMENT.NOT_ACTIVE", `This access is already ${assignment.state}.`));
  }
  if (!policy.lifecycle.extension.allowed) {
    return err(domainError("ASSIGNMENT.EXTENSION_NOT_ALLOWED", "This access can't be extended."));
  }
  if (assignment.endAt === undefined) {
    return err(
      domainError(
        "ASSIGNMENT.EXTENSION_NOT_ALLOWED",
        "This access doesn't expire; there is nothing to extend.",
      ),
    );
  }
  if (ctx.requestedEndAt !== undefined && !isValidInstant(ctx.requestedEndAt)) {
    return err(
      domainError("REQUEST.INVALID", "Not a valid date.", {
        problems: [{ field: "schedule.endAt", message: "Not a valid date." }],
      }),
    );
  }
  const endAt = cappedEnd(policy.lifecycle.expiry, now, ctx.requestedEndAt);
  if (endAt !== undefined && !isAfter(endAt, assignment.endAt)) {
    const message = `The policy doesn't allow access beyond ${assignment.endAt}.`;
    return err(
      domainError("ASSIGNMENT.EXTENSION_NOT_ALLOWED", message, { details: { endAt: assignment.endAt } }),
    );
  }
  const next: Assignment = {
    ...assignment,
    endAt,
    remindersSent: [],
    updatedAt: now,
    revision: assignment.revision + 1,
  };
  return ok({
    next,
    events: [{ type: "AssignmentExtended", assignmentId: assignment.id, endAt }],
    deadlines: expiryDeadlines(next, ctx.reminderOffsetsHours),
    changed: true,
  });
}
