import { expireAssignment } from "../../domain/assignment/lifecycle";
import { domainError } from "../../domain/errors";
import { ACTIVE_ASSIGNMENT_STATES, type Assignment } from "../../domain/model";
import type { AppDeps } from "../deps";
import { removeAssignment } from "../remove-assignment";
import { revokeAccess } from "../removal/revoke-access";
import { nowIso } from "../shared/context";
import { applyEffects, scheduleFirst } from "../shared/effects";
import { mutate } from "../shared/mutate";

/** Why the scheduler ends an assignment. Expiry ends it as "expired"; the others as "removed". */
export type EndCause = "expiry" | "review" | "autoAssignment";

export interface EndAssignmentCommand {
  assignmentId: string;
  cause: EndCause;
  reason: string;
  source: string;
}

export type EndOutcome = "ended" | "alreadyEnded" | "notDue" | "notFound" | "refused";

const isEnded = (a: Assignment) => !ACTIVE_ASSIGNMENT_STATES.includes(a.state);

async function expire(deps: AppDeps, cmd: EndAssignmentCommand): Promise<EndOutcome> {
  const result = await mutate(
    deps.assignments,
    cmd.assignmentId,
    domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${cmd.assignmentId}".`),
    (a) => expireAssignment(a, nowIso(deps)),
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) return "notFound";
  const { step, before } = result.value;
  if (!step.changed) return isEnded(before) ? "alreadyEnded" : "notDue";
  await revokeAccess(deps, step.next, cmd.source);
  await applyEffects(deps, step, {
    actor: "system",
    source: cmd.source,
    targetUserId: step.next.userId,
    packageId: step.next.packageId,
  });
  return "ended";
}

/**
 * Ends an assignment for the scheduler through the overlap-safe removal: what it granted is taken
 * back, never a role the user held before nor one another active assignment still grants.
 * Idempotent; running it again for an ended assignment finishes a revocation a crash interrupted
 * (unless its retries are waiting for their backoff or it is "removal failed").
 */
export async function endAssignment(deps: AppDeps, cmd: EndAssignmentCommand): Promise<EndOutcome> {
  const stored = await deps.assignments.get(cmd.assignmentId);
  if (!stored) return "notFound";
  if (isEnded(stored.value)) {
    await revokeAccess(deps, stored.value, cmd.source);
    return "alreadyEnded";
  }
  if (cmd.cause === "expiry") return expire(deps, cmd);
  const removed = await removeAssignment(deps, {
    actorId: "system",
    as: "system",
    assignmentId: cmd.assignmentId,
    reason: cmd.reason,
    source: cmd.source,
  });
  if (removed.ok) return "ended";
  if (removed.error.code === "ASSIGNMENT.NOT_ACTIVE") return "alreadyEnded";
  deps.logger.warn({ assignmentId: cmd.assignmentId, code: removed.error.code }, removed.error.message);
  return "refused";
}
