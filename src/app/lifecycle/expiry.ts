import { planExpiryReminder } from "../../domain/lifecycle";
import type { DomainEvent } from "../../domain/model";
import type { DueHandler } from "../../scheduler/handlers";
import { endAssignment } from "./end-assignment";
import { nowIso, retryOnConflict, SCHEDULER_SOURCE } from "./support";

/**
 * `expiryReminder` (subject = assignment id, discriminator = hours before the end): tells the user
 * their access ends soon, with Extend when the policy allows it. The reminder is recorded on the
 * assignment before it is published, so it goes out once even if two sweepers ran it.
 */
export const expiryReminderHandler: DueHandler = async (deps, item) => {
  const policies = (await deps.governance.load()).policies;
  const event = await retryOnConflict(async (): Promise<DomainEvent | undefined> => {
    const stored = await deps.assignments.get(item.subjectId);
    if (!stored) return undefined;
    const now = nowIso(deps);
    const plan = planExpiryReminder(stored.value, item, now);
    if (!plan.send) return undefined;
    const next = {
      ...stored.value,
      remindersSent: [...stored.value.remindersSent, plan.key],
      updatedAt: now,
      revision: stored.value.revision + 1,
    };
    await deps.assignments.update(next, stored.etag);
    const policy = policies.find((p) => p.id === next.policyId);
    return {
      type: "ExpiryReminderDue",
      assignmentId: next.id,
      endAt: plan.endAt,
      offsetHours: plan.offsetHours,
      canExtend: policy?.lifecycle.extension.allowed ?? false,
    };
  });
  if (event) await deps.events.publish([event]);
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
