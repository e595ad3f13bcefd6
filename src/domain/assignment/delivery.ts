import type { Assignment, AssignmentState, Deadline, DomainEvent, Instant, ResourceDelivery } from "../model";
import { ok } from "../result";
import type { Transition } from "../transition";
import { addMs, earliest, isAfter } from "../time";

/** What one grant attempt returned (mirrors the provisioner's outcome, kept free of the port). */
export type GrantOutcome =
  | { status: "done" | "unchanged"; verifiedAt?: Instant }
  | { status: "failed"; retryable: boolean; error: string; retryAfterMs?: number };

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 60_000, maxDelayMs: 3_600_000, maxAttempts: 6 };

/**
 * Indexes of resources to grant now: pending ones, and failed ones whose retry time has come.
 * `force` (an administrator's reprocess) retries every failed resource.
 */
export function resourcesToGrant(assignment: Assignment, now: Instant, force = false): number[] {
  return assignment.resources.flatMap((r, i) => {
    if (r.status === "pending") return [i];
    if (r.status !== "failed") return [];
    if (force) return [i];
    return r.nextAttemptAt !== undefined && !isAfter(r.nextAttemptAt, now) ? [i] : [];
  });
}

/** The state the resources add up to; "delivering" while nothing is granted yet but retries remain. */
export function deliveryState(
  resources: ResourceDelivery[],
): Extract<AssignmentState, "delivering" | "delivered" | "partiallyDelivered" | "deliveryFailed"> {
  const granted = resources.filter((r) => r.status === "granted").length;
  if (granted === resources.length) return "delivered";
  const waiting = resources.some((r) => r.status === "pending" || (r.status === "failed" && r.nextAttemptAt));
  if (granted > 0) return "partiallyDelivered";
  return waiting ? "delivering" : "deliveryFailed";
}

function applyOutcome(
  r: ResourceDelivery,
  outcome: GrantOutcome,
  now: Instant,
  retry: RetryPolicy,
): ResourceDelivery {
  const attempts = r.attempts + 1;
  if (outcome.status !== "failed") {
    const granted: ResourceDelivery = { role: r.role, status: "granted", attempts, heldBefore: r.heldBefore };
    if (outcome.verifiedAt) granted.verifiedAt = outcome.verifiedAt;
    return granted;
  }
  const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1));
  const retryable = outcome.retryable && attempts < retry.maxAttempts;
  const next: ResourceDelivery = {
    role: r.role,
    status: "failed",
    attempts,
    heldBefore: r.heldBefore,
    lastError: outcome.error,
  };
  if (retryable) next.nextAttemptAt = addMs(now, Math.max(backoff, outcome.retryAfterMs ?? 0));
  return next;
}

/**
 * Records the outcomes of grant attempts (`outcomes[k]` is for resource `indexes[k]`) and schedules a
 * deliveryRetry (on the request) at the earliest retry time, with exponential backoff.
 */
export function recordProvisioning(
  assignment: Assignment,
  indexes: number[],
  outcomes: GrantOutcome[],
  ctx: { now: Instant; retry?: RetryPolicy },
): Transition<Assignment> {
  const retry = ctx.retry ?? DEFAULT_RETRY;
  const resources = assignment.resources.map((r) => ({ ...r }));
  indexes.forEach((index, k) => {
    const outcome = outcomes[k];
    if (outcome && resources[index])
      resources[index] = applyOutcome(resources[index]!, outcome, ctx.now, retry);
  });
  const state = deliveryState(resources);
  const events: DomainEvent[] = [];
  if (state !== assignment.state && state !== "delivering") {
    events.push({ type: "AssignmentDelivered", assignmentId: assignment.id, state });
  }
  // Grants that just ran out of retries: the catalog owners are told, with Reprocess.
  const gaveUp = indexes.filter((i) => {
    const [before, after] = [assignment.resources[i], resources[i]];
    return (
      after?.status === "failed" &&
      !after.nextAttemptAt &&
      (before?.status !== "failed" || !!before.nextAttemptAt)
    );
  });
  if (gaveUp.length > 0) {
    const roles = gaveUp.map((i) => resources[i]!.role.displayName);
    events.push({ type: "GrantsFailed", assignmentId: assignment.id, roles });
  }
  const nextRetry = resources.reduce<Instant | undefined>(
    (at, r) => (r.status === "failed" ? earliest(at, r.nextAttemptAt) : at),
    undefined,
  );
  const deadlines: Deadline[] = nextRetry
    ? [{ kind: "deliveryRetry", dueAt: nextRetry, subjectId: assignment.requestId, discriminator: "grant" }]
    : [];
  return ok({
    next: { ...assignment, resources, state, updatedAt: ctx.now, revision: assignment.revision + 1 },
    events,
    deadlines,
    changed: true,
  });
}
