import type { Assignment, Deadline, DomainEvent, Instant, RemovalProgress, UserId } from "../model";
import { ACTIVE_ASSIGNMENT_STATES } from "../model";
import { domainError } from "../errors";
import { err, ok } from "../result";
import { unchanged, type Transition } from "../transition";
import { addMs, isAfter } from "../time";
import { DEFAULT_RETRY, type GrantOutcome, type RetryPolicy } from "./delivery";
import { recordRevocation, type PlannedRevocation } from "./revocation";

/** When the revokes of an ended assignment are checked again, in case the process died meanwhile. */
export const REMOVAL_SAFETY_MS = 10 * 60_000;

const MAX_ERROR_LENGTH = 500;

/** The `removalRetry` deadline an ending sets: a crash between the end and its revokes is resumed. */
export const removalSafety = (assignmentId: string, now: Instant): Deadline => ({
  kind: "removalRetry",
  dueAt: addMs(now, REMOVAL_SAFETY_MS),
  subjectId: assignmentId,
  discriminator: "safety",
});

/** The assignment ended but what it granted may still be there: revokes are retrying or failed. */
export const removalIncomplete = (a: Assignment): boolean =>
  a.removal?.status === "removing" || a.removal?.status === "removalFailed";

/**
 * Whether the scheduler should try the revokes now: an ended assignment, not once the budget is
 * spent (only a catalog owner's Retry goes on from there), not before the backoff's next try.
 */
export function removalDue(a: Assignment, now: Instant): boolean {
  if (ACTIVE_ASSIGNMENT_STATES.includes(a.state)) return false;
  const r = a.removal;
  if (!r || r.status === "completed") return true;
  if (r.status === "removalFailed") return false;
  return r.nextAttemptAt === undefined || !isAfter(r.nextAttemptAt, now);
}

type Failure = Extract<GrantOutcome, { status: "failed" }>;

function failed(progress: Omit<RemovalProgress, "retriedBy">, prior?: RemovalProgress): RemovalProgress {
  return prior?.retriedBy ? { ...progress, retriedBy: prior.retriedBy } : progress;
}

/**
 * Records one attempt at the revokes of an ended assignment (`outcomes[k]` is for `plan[k]`).
 * Everything gone: done, and `RemovalCompleted` when an earlier attempt had failed (or `later`: the
 * attempt that ended it never finished). A failure retries with exponential backoff, never sooner
 * than a Retry-After; once the budget is spent, or on a failure that asking again will not change,
 * the removal is `removalFailed` and `RemovalFailed` tells the catalog owners.
 */
export function recordRemovalAttempt(
  assignment: Assignment,
  plan: PlannedRevocation[],
  outcomes: GrantOutcome[],
  ctx: { now: Instant; retry?: RetryPolicy; later?: boolean },
): Transition<Assignment> {
  const prior = removalIncomplete(assignment) ? assignment.removal : undefined;
  if (plan.length === 0 && !prior) return ok(unchanged(assignment));
  const { now } = ctx;
  const revoked = recordRevocation(assignment, plan, outcomes, now);
  const failures = outcomes.filter((o): o is Failure => o.status === "failed");
  const id = assignment.id;
  if (failures.length === 0) {
    if (!prior && !ctx.later) return ok({ next: revoked, events: [], deadlines: [], changed: true });
    const removal = failed({ status: "completed", attempts: prior?.attempts ?? 0, completedAt: now }, prior);
    const events: DomainEvent[] = [{ type: "RemovalCompleted", assignmentId: id }];
    return ok({ next: { ...revoked, removal }, events, deadlines: [], changed: true });
  }
  const retry = ctx.retry ?? DEFAULT_RETRY;
  const attempts = (prior?.attempts ?? 0) + 1;
  const lastError = failures
    .map((f) => f.error)
    .join("; ")
    .slice(0, MAX_ERROR_LENGTH);
  if (failures.every((f) => f.retryable) && attempts < retry.maxAttempts) {
    const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1));
    const retryAfter = Math.max(0, ...failures.map((f) => f.retryAfterMs ?? 0));
    const nextAttemptAt = addMs(now, Math.max(backoff, retryAfter));
    const removal = failed({ status: "removing", attempts, nextAttemptAt, lastError }, prior);
    const deadline: Deadline = {
      kind: "removalRetry",
      dueAt: nextAttemptAt,
      subjectId: id,
      discriminator: "retry",
    };
    return ok({ next: { ...revoked, removal }, events: [], deadlines: [deadline], changed: true });
  }
  const removal = failed({ status: "removalFailed", attempts, lastError, failedAt: now }, prior);
  const event: DomainEvent = { type: "RemovalFailed", assignmentId: id, error: lastError };
  if (prior?.retriedBy && prior.attempts === 0) event.retriedBy = prior.retriedBy;
  return ok({ next: { ...revoked, removal }, events: [event], deadlines: [], changed: true });
}

/**
 * A catalog owner's Retry: the revokes run again now with a fresh budget. Access that is still
 * active has nothing to remove; a removal that already completed is left as it is.
 */
export function restartRemoval(
  assignment: Assignment,
  by: UserId | "system",
  now: Instant,
): Transition<Assignment> {
  if (ACTIVE_ASSIGNMENT_STATES.includes(assignment.state)) {
    return err(
      domainError("ASSIGNMENT.STILL_ACTIVE", "This access hasn't ended, so there is nothing to remove."),
    );
  }
  if (!removalIncomplete(assignment)) return ok(unchanged(assignment));
  const removal: RemovalProgress = { status: "removing", attempts: 0, retriedBy: by };
  if (assignment.removal?.lastError) removal.lastError = assignment.removal.lastError;
  return ok({
    next: { ...assignment, removal, updatedAt: now, revision: assignment.revision + 1 },
    events: [{ type: "RemovalRetried", assignmentId: assignment.id, by }],
    deadlines: [],
    changed: true,
  });
}

/** What "my access" lists: active assignments, and ended ones whose access is still (partly) there. */
export const accessMayRemain = (a: Assignment): boolean =>
  ACTIVE_ASSIGNMENT_STATES.includes(a.state) || removalIncomplete(a);
