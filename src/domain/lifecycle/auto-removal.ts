import { ACTIVE_ASSIGNMENT_STATES, type Assignment, type Deadline, type Instant } from "../model";
import { addHours, fromMs, toMs } from "../time";
import { unchanged, type Step } from "../transition";

/**
 * The user stopped matching the rule: access ends after the grace period unless they match again.
 * Marked once; later evaluations leave the first due time alone.
 */
export function markAutoRemoval(assignment: Assignment, now: Instant, graceHours: number): Step<Assignment> {
  if (!ACTIVE_ASSIGNMENT_STATES.includes(assignment.state) || assignment.autoRemovalDueAt)
    return unchanged(assignment);
  const dueAt = addHours(now, Math.max(0, graceHours));
  return {
    next: { ...assignment, autoRemovalDueAt: dueAt, updatedAt: now, revision: assignment.revision + 1 },
    events: [],
    deadlines: [{ dueAt, kind: "autoAssignmentGrace", subjectId: assignment.id, discriminator: "grace" }],
    changed: true,
  };
}

/** The user matches the rule again: the pending removal is called off. */
export function clearAutoRemoval(assignment: Assignment, now: Instant): Step<Assignment> {
  if (!assignment.autoRemovalDueAt) return unchanged(assignment);
  const { autoRemovalDueAt: _cleared, ...rest } = assignment;
  return {
    next: { ...rest, updatedAt: now, revision: assignment.revision + 1 },
    events: [],
    deadlines: [],
    changed: true,
  };
}

/** Whether a grace deadline is the one the assignment is still waiting for (not a called-off one). */
export const isPendingAutoRemoval = (assignment: Assignment, dueAt: Instant): boolean =>
  ACTIVE_ASSIGNMENT_STATES.includes(assignment.state) &&
  assignment.autoRemovalDueAt !== undefined &&
  toMs(assignment.autoRemovalDueAt) === toMs(dueAt);

/**
 * The recurring evaluation of an auto-assignment policy, at the start of the interval containing
 * `at`: every instance computes the same deadline, so scheduling it from many places stores it once.
 */
export function autoAssignmentEvaluateDeadline(
  policyId: string,
  at: Instant,
  intervalMinutes: number,
): Deadline {
  const interval = intervalMinutes * 60_000;
  return {
    dueAt: fromMs(Math.floor(toMs(at) / interval) * interval),
    kind: "autoAssignmentEvaluate",
    subjectId: policyId,
    discriminator: "interval",
  };
}
