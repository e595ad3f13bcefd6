import { remindReviewers } from "../../domain/reviews";
import type { DueHandler } from "../../scheduler/handlers";
import { nowIso, retryOnConflict } from "./support";

/**
 * `reviewReminder` (subject = review id): at the midpoint, reviewers who still have undecided items
 * are reminded once. The reminder is recorded on the review before it is published.
 */
export const reviewReminderHandler: DueHandler = async (deps, item) => {
  const events = await retryOnConflict(async () => {
    const stored = await deps.reviews.get(item.subjectId);
    if (!stored) return [];
    const step = remindReviewers(stored.value, nowIso(deps));
    if (!step.changed) return [];
    await deps.reviews.update(step.next, stored.etag);
    return step.events;
  });
  if (events.length > 0) await deps.events.publish(events);
};
