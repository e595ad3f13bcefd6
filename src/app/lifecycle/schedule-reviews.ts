import type {
  AssignmentPolicy,
  Deadline,
  GovernanceConfig,
  Instant,
  ReviewSettings,
} from "../../domain/model";
import { nextOccurrence, occurrenceToSchedule } from "../../domain/lifecycle";
import type { AppDeps } from "../deps";

/** The deadline that starts the review of one occurrence; the occurrence is its discriminator. */
export const reviewStartDeadline = (policyId: string, occurrenceStart: Instant): Deadline => ({
  dueAt: occurrenceStart,
  kind: "reviewStart",
  subjectId: policyId,
  discriminator: occurrenceStart,
});

type Reviewed = AssignmentPolicy & { lifecycle: { review: ReviewSettings } };

const hasReview = (p: AssignmentPolicy): p is Reviewed => p.lifecycle.review !== undefined;

/**
 * Schedules the next review start of every policy with review settings. Idempotent: the due index
 * stores a deadline once, so the composition root calls it at startup and after each governance
 * apply. A deadline left behind by changed settings is recognised as stale when it fires.
 */
export async function scheduleReviews(
  deps: Pick<AppDeps, "due">,
  config: GovernanceConfig,
  now: Instant,
): Promise<Deadline[]> {
  const deadlines = config.policies
    .filter(hasReview)
    .map((p) => reviewStartDeadline(p.id, occurrenceToSchedule(p.lifecycle.review, now)));
  await deps.due.schedule(deadlines);
  return deadlines;
}

/** Schedules the occurrence after `occurrenceStart` (idempotent). */
export async function scheduleNextReview(
  deps: Pick<AppDeps, "due">,
  policyId: string,
  settings: ReviewSettings,
  occurrenceStart: Instant,
): Promise<void> {
  await deps.due.schedule([reviewStartDeadline(policyId, nextOccurrence(settings, occurrenceStart))]);
}
