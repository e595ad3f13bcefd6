import {
  ACTIVE_ASSIGNMENT_STATES,
  type Assignment,
  type AssignmentPolicy,
  type Deadline,
  type Instant,
} from "../model";
import { ok } from "../result";
import { addHours, isBefore, toMs } from "../time";
import { unchanged, type Transition } from "../transition";

/**
 * What `remindersSent` records for a reminder: its offset in hours ("336", "24"). An extension
 * clears the list, and a deadline set for the old end date is recognised as stale by its due time.
 */
export const reminderKey = (offsetHours: number): string => String(offsetHours);

export type ReminderPlan =
  | { send: true; offsetHours: number; key: string; endAt: Instant }
  | { send: false; why: "inactive" | "noEnd" | "ended" | "stale" | "alreadySent" | "badOffset" };

/** Whether the reminder deadline `item` should produce a reminder now. */
export function planExpiryReminder(
  assignment: Assignment,
  item: Pick<Deadline, "dueAt" | "discriminator">,
  now: Instant,
): ReminderPlan {
  const offsetHours = Number(item.discriminator);
  if (!Number.isFinite(offsetHours) || offsetHours <= 0) return { send: false, why: "badOffset" };
  if (!ACTIVE_ASSIGNMENT_STATES.includes(assignment.state)) return { send: false, why: "inactive" };
  const endAt = assignment.endAt;
  if (endAt === undefined) return { send: false, why: "noEnd" };
  if (!isBefore(now, endAt)) return { send: false, why: "ended" };
  // A deadline set for an earlier end date (before an extension) is stale.
  if (toMs(addHours(endAt, -offsetHours)) !== toMs(item.dueAt)) return { send: false, why: "stale" };
  const key = reminderKey(offsetHours);
  if (assignment.remindersSent.includes(key)) return { send: false, why: "alreadySent" };
  return { send: true, offsetHours, key, endAt };
}

/**
 * An `expiryReminder` deadline fell due: the reminder is recorded on the assignment (so it goes out
 * once even if two sweepers ran it) and told as an event, with Extend when the policy allows it.
 * A stale, repeated or pointless reminder is a no-op, never an error: the deadline is just done.
 */
export function remindExpiry(
  assignment: Assignment,
  deadline: Pick<Deadline, "dueAt" | "discriminator">,
  ctx: { now: Instant; policy?: AssignmentPolicy },
): Transition<Assignment> {
  const plan = planExpiryReminder(assignment, deadline, ctx.now);
  if (!plan.send) return ok(unchanged(assignment));
  return ok({
    next: {
      ...assignment,
      remindersSent: [...assignment.remindersSent, plan.key],
      updatedAt: ctx.now,
      revision: assignment.revision + 1,
    },
    events: [
      {
        type: "ExpiryReminderDue",
        assignmentId: assignment.id,
        endAt: plan.endAt,
        offsetHours: plan.offsetHours,
        canExtend: ctx.policy?.lifecycle.extension.allowed ?? false,
      },
    ],
    deadlines: [],
    changed: true,
  });
}

/** Whether the assignment's access has run out at `now`. */
export function isExpiredAt(assignment: Assignment, now: Instant): boolean {
  return (
    ACTIVE_ASSIGNMENT_STATES.includes(assignment.state) &&
    assignment.endAt !== undefined &&
    !isBefore(now, assignment.endAt)
  );
}
