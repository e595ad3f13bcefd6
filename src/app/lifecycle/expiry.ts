import { domainError } from "../../domain/errors";
import { remindExpiry } from "../../domain/lifecycle";
import { SCHEDULER_SOURCE, type DueHandler } from "../due-work";
import { loadIndex, nowIso } from "../shared/context";
import { applyEffects, scheduleFirst } from "../shared/effects";
import { mutate } from "../shared/mutate";
import { endAssignment } from "./end-assignment";

/**
 * `expiryReminder` (subject = assignment id, discriminator = hours before the end): tells the user
 * their access ends soon, with Extend when the policy allows it. The reminder is recorded on the
 * assignment before it is published, so it goes out once even if two sweepers ran it; each one
 * sent leaves an audit row.
 */
export const expiryReminderHandler: DueHandler = async (deps, item) => {
  const index = await loadIndex(deps);
  const result = await mutate(
    deps.assignments,
    item.subjectId,
    domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${item.subjectId}".`),
    (a) => remindExpiry(a, item, { now: nowIso(deps), policy: index.policy(a.policyId) }),
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok || !result.value.step.changed) return; // gone, stale or already sent
  const { next } = result.value.step;
  await applyEffects(deps, result.value.step, {
    actor: "system",
    source: SCHEDULER_SOURCE,
    targetUserId: next.userId,
    packageId: next.packageId,
  });
};

/**
 * `expiry` (subject = assignment id): the end date arrived. The assignment expires and what it
 * granted is taken back (overlap-safe); events tell the user and the channel, the audit keeps it.
 * An extended assignment is not due yet: its new expiry deadline will run instead.
 */
export const expiryHandler: DueHandler = async (deps, item) => {
  await endAssignment(deps, {
    assignmentId: item.subjectId,
    cause: "expiry",
    reason: "The access reached its end date.",
    source: SCHEDULER_SOURCE,
  });
};
