import { ACTIVE_ASSIGNMENT_STATES, type Assignment, type Deadline, type Instant } from "../model";
import { addHours, isBefore, toMs } from "../time";

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

/** Whether the assignment's access has run out at `now`. */
export function isExpiredAt(assignment: Assignment, now: Instant): boolean {
  return (
    ACTIVE_ASSIGNMENT_STATES.includes(assignment.state) &&
    assignment.endAt !== undefined &&
    !isBefore(now, assignment.endAt)
  );
}
