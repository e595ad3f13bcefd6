import type { AppDeps } from "./deps";
import type { Assignment, AuditEntry, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { removeAssignment as removeTransition, type RemovedBy } from "../domain/assignment/lifecycle";
import { recordRevocation, revocationPlan } from "../domain/assignment/revocation";
import { loadIndex, nowIso } from "./shared/context";
import { applyEffects, auditRow } from "./shared/effects";
import { mutate } from "./shared/mutate";

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
 * Takes away what an ended (removed or expired) assignment granted, never a role the user held
 * before it or one another active assignment still grants. Failed revokes stay "granted" with
 * their error for a later retry.
 */
export async function revokeAccess(deps: AppDeps, ended: Assignment, source: string): Promise<Assignment> {
  const index = await loadIndex(deps);
  const others = await deps.assignments.listForUser(ended.userId);
  const plan = revocationPlan(ended, others, index.packageMap());
  if (plan.length === 0) return ended;
  const outcomes = await deps.provisioner.apply(
    plan.map((p) => ({ action: "revoke" as const, userId: ended.userId, role: p.role })),
  );
  const result = await mutate(deps.assignments, ended.id, notFound(ended.id), (current) =>
    ok({
      next: recordRevocation(current, plan, outcomes, nowIso(deps)),
      events: [],
      deadlines: [],
      changed: true,
    }),
  );
  if (!result.ok) return ended;
  // One row per role taken away; a failed revoke stays granted and is retried, so it has none.
  const revoked = (): AuditEntry[] =>
    plan.flatMap((p, k) =>
      outcomes[k]?.status === "failed"
        ? []
        : [
            auditRow(deps, {
              actor: "system",
              action: "resource.revoked",
              subject: `assignment:${ended.id}`,
              source,
              targetUserId: ended.userId,
              packageId: ended.packageId,
              reason: p.role.displayName,
            }),
          ],
    );
  await applyEffects(deps, result.value.step, { actor: "system", source }, revoked);
  return result.value.step.next;
}

/** Ends an assignment now (by its user, a catalog owner, or the system) and revokes overlap-safely. */
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
  );
  if (!result.ok) return result;
  const removed = result.value.step.next;
  await applyEffects(deps, result.value.step, {
    actor: input.actorId,
    source: input.source,
    targetUserId: removed.userId,
    packageId: removed.packageId,
  });
  return ok(await revokeAccess(deps, removed, input.source));
}
