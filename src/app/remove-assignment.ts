import type { AppDeps } from "./deps";
import type { Assignment, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { removeAssignment as removeTransition, type RemovedBy } from "../domain/assignment/lifecycle";
import { loadIndex, nowIso } from "./shared/context";
import { applyEffects, auditRefusal, scheduleFirst } from "./shared/effects";
import { mutate } from "./shared/mutate";
import { revokeAccess } from "./removal/revoke-access";
import { authorizeAdmin } from "./shared/admin-role";

export { revokeAccess };

export interface RemoveAssignmentInput {
  /** "system" for expiry, reviews and auto-assignment. */
  actorId: UserId | "system";
  assignmentId: string;
  /**
   * "user": the assigned user; "admin": an access package assignment manager of the package's
   * catalog or a stronger role (src/domain/admin/roles.ts).
   */
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
  if (input.as === "admin" && input.actorId !== "system") {
    // The package of an assignment never changes: the role is checked once, outside the retried closure.
    const current = (await deps.assignments.get(input.assignmentId))?.value;
    if (!current) return err(notFound(input.assignmentId));
    const allowed = await authorizeAdmin(deps, index, {
      actorId: input.actorId,
      packageId: current.packageId,
      verb: "manageAssignments",
      source: input.source,
      targetUserId: current.userId,
    });
    if (!allowed.ok) {
      const code =
        allowed.error.code === "ADMIN.ROLE_NEEDED" ? "ASSIGNMENT.REMOVAL_NOT_ALLOWED" : allowed.error.code;
      return err({ ...allowed.error, code });
    }
  }
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
      else if (input.as === "admin") by = { kind: "admin", userId: input.actorId };
      else by = { kind: "user", userId: input.actorId };
      return removeTransition(assignment, by, { now: nowIso(deps), policy, reason: input.reason });
    },
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) {
    // Someone else's access, or one already ended: refused, and audited (admins' role refusals are
    // audited by authorizeAdmin above).
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `assignment:${input.assignmentId}`,
      code: result.error.code,
      message: result.error.message,
    });
    return result;
  }
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
