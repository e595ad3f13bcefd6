import type { AppDeps } from "../deps";
import type { Assignment, UserId } from "../../domain/model";
import { domainError } from "../../domain/errors";
import { err, ok, type Result } from "../../domain/result";
import { catalogOwnerRefusal } from "../../domain/assignment/catalog-owners";
import { isActive } from "../../domain/assignment/lifecycle";
import { restartRemoval } from "../../domain/assignment/removal";
import { SCHEDULER_SOURCE, type DueHandler } from "../due-work";
import { loadIndex, nowIso } from "../shared/context";
import { applyEffects, auditRefusal, scheduleFirst } from "../shared/effects";
import { mutate } from "../shared/mutate";
import { revokeAccess } from "./revoke-access";

export interface RetryRemovalInput {
  /** A catalog owner (card) or "system" (the operator's command line, who holds the storage key). */
  actorId: UserId | "system";
  assignmentId: string;
  source: string;
}

const notFound = (id: string) => domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${id}".`);

/**
 * A catalog owner's Retry of a removal that failed: the revokes run again now with a fresh budget.
 * Anyone else is refused (and audited). A removal that completed meanwhile is answered as it is.
 */
export async function retryRemoval(deps: AppDeps, input: RetryRemovalInput): Promise<Result<Assignment>> {
  const loaded = await deps.assignments.get(input.assignmentId);
  if (!loaded) return err(notFound(input.assignmentId));
  const { packageId, userId } = loaded.value;
  const refusal =
    input.actorId === "system"
      ? undefined
      : catalogOwnerRefusal(await loadIndex(deps), packageId, input.actorId, "retry this removal");
  if (refusal) {
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `assignment:${input.assignmentId}`,
      code: refusal.code,
      message: refusal.message,
      targetUserId: userId,
      packageId,
    });
    return err(refusal);
  }
  const result = await mutate(
    deps.assignments,
    input.assignmentId,
    notFound(input.assignmentId),
    (a) => restartRemoval(a, input.actorId, nowIso(deps)),
    loaded,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) return result;
  const { step } = result.value;
  if (!step.changed) return ok(step.next);
  await applyEffects(deps, step, {
    actor: input.actorId,
    source: input.source,
    targetUserId: userId,
    packageId,
  });
  return ok(await revokeAccess(deps, step.next, input.source, { later: true }));
}

/**
 * `removalRetry` (subject = assignment id): "safety" shortly after the end, "retry" at the backoff's
 * next try. Reloads; an active assignment, a retry not yet due or a removal whose budget is spent
 * does nothing (the last waits for an owner's Retry).
 */
export const removalRetryHandler: DueHandler = async (deps, item) => {
  const stored = await deps.assignments.get(item.subjectId);
  if (!stored || isActive(stored.value)) return;
  await revokeAccess(deps, stored.value, SCHEDULER_SOURCE, { later: true });
};
