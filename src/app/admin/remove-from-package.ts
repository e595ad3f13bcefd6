import type { AppDeps } from "../deps";
import { domainError } from "../../domain/errors";
import { ACTIVE_ASSIGNMENT_STATES, type Assignment, type UserId } from "../../domain/model";
import { err, type Result } from "../../domain/result";
import { removeAssignment } from "../remove-assignment";
import { authorizeAdmin } from "../shared/admin-role";
import { loadIndex } from "../shared/context";

export interface RemoveFromPackageInput {
  actorId: UserId;
  userId: UserId;
  packageId: string;
  reason: string;
  source: string;
}

/**
 * "remove <person> from <package> because <reason>": an access package assignment manager (or a
 * stronger role) ends the person's active assignment. The role is checked before anything about the
 * person is read, so someone without it learns nothing; the removal is the admin `removeAssignment`
 * (overlap-safe revokes, the holder told, audited with the actor and the reason).
 */
export async function removeFromPackage(
  deps: AppDeps,
  input: RemoveFromPackageInput,
): Promise<Result<Assignment>> {
  const index = await loadIndex(deps);
  const allowed = await authorizeAdmin(deps, index, {
    actorId: input.actorId,
    packageId: input.packageId,
    verb: "manageAssignments",
    source: input.source,
    targetUserId: input.userId,
  });
  if (!allowed.ok) return allowed;
  if (input.reason.trim() === "")
    return err(domainError("REQUEST.INVALID", "Say why: remove <person> from <package> because <reason>."));
  const active = (await deps.assignments.listForUser(input.userId)).find(
    (a) => a.packageId === input.packageId && ACTIVE_ASSIGNMENT_STATES.includes(a.state),
  );
  if (!active) return err(domainError("ASSIGNMENT.NOT_FOUND", `They don't have ${allowed.value.pkg.name}.`));
  return removeAssignment(deps, {
    actorId: input.actorId,
    assignmentId: active.id,
    as: "admin",
    reason: input.reason.trim(),
    source: input.source,
  });
}
