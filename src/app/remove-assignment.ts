import type { AppDeps } from "./deps";
import type { Assignment, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { removeAssignment as removeTransition, type RemovedBy } from "../domain/assignment/lifecycle";
import { loadIndex, nowIso } from "./shared/context";
import { applyEffects, scheduleFirst } from "./shared/effects";
import { mutate } from "./shared/mutate";
import { revokeAccess } from "./removal/revoke-access";

export { revokeAccess };

export interface RemoveAssignmentInput {
  /** "system" for expiry, reviews and auto-assignment. */
  actorId: UserId | "system";
  assignmentId: string;
  /** "user": the assigned user; "admin": an owner of the package's catalog. */
  as: "user" | "admin" | "system";
  reason: string;
  source: string;
}

const notFound = (id: string) => domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${id}".`);

/**
 * Ends an assignment now (by its user, a catalog owner, or the system) and revokes overlap-safely.
 * The end's audit rows and events follow the first attempt at the revokes.
 */
export async function removeAssignment(
  deps: AppDeps,
  input: RemoveAssignmentInput,
): Promise<Result<Assignment>> {
  const index = await loadIndex(deps);
  const result = await mutate(
    deps.assignments,
    input.assignmentId,
    notFound(input.assignmentId),
    (assignment) => {
      const policy = index.policy(assignment.policyId);
      if (!policy)
        return err(domainError("POLICY.NOT_FOUND", "The policy of this assignment no longer exists."));
      let by: RemovedBy;
      if (input.as === "system" || input.actorId === "system") by = { kind: "system" };
      else if (input.as === "admin") {
        if (!index.catalogOfPackage(assignment.packageId)?.owners.includes(input.actorId)) {
          return err(
            domainError(
              "ASSIGNMENT.REMOVAL_NOT_ALLOWED",
              "Only an owner of the package's catalog can remove this access.",
            ),
          );
        }
        by = { kind: "admin", userId: input.actorId };
      } else by = { kind: "user", userId: input.actorId };
      return removeTransition(assignment, by, { now: nowIso(deps), policy, reason: input.reason });
    },
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) return result;
  const { step } = result.value;
  const removed = step.next;
  // The revokes are tried before the end is told: "removed" only when the access is really gone.
  const after = await revokeAccess(deps, removed, input.source);
  await applyEffects(deps, step, {
    actor: input.actorId,
    source: input.source,
    targetUserId: removed.userId,
    packageId: removed.packageId,
  });
  return ok(after);
}
