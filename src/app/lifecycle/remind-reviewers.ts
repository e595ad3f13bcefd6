import { domainError } from "../../domain/errors";
import { ok } from "../../domain/result";
import { remindReviewers } from "../../domain/reviews";
import { SCHEDULER_SOURCE, type DueHandler } from "../due-work";
import { nowIso } from "../shared/context";
import { applyEffects, scheduleFirst } from "../shared/effects";
import { mutate } from "../shared/mutate";

/**
 * `reviewReminder` (subject = review id): at the midpoint, reviewers who still have undecided items
 * are reminded once. The reminder is recorded on the review before it is published.
 */
export const reviewReminderHandler: DueHandler = async (deps, item) => {
  const result = await mutate(
    deps.reviews,
    item.subjectId,
    domainError("REVIEW.ITEM_NOT_FOUND", "This access review no longer exists."),
    (review) => ok(remindReviewers(review, nowIso(deps))),
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok || !result.value.step.changed) return;
  await applyEffects(deps, result.value.step, {
    actor: "system",
    source: SCHEDULER_SOURCE,
    packageId: result.value.step.next.packageId,
  });
};
