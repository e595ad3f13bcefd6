import type { AssignmentPolicy, UserId } from "../../domain/model";
import { assignDirectly } from "../assign-directly";
import type { AppDeps } from "../deps";

export const AUTO_ASSIGNMENT_SOURCE = "autoAssignment";

export type AutoAddOutcome =
  | { added: true; requestId: string }
  | { added: false; code: string; message: string };

/**
 * Gives a matching user the package: a "systemAdd" assignment, approved at once and delivered.
 * Separation of duties still applies: a conflict is audited and the user skipped.
 */
export async function addAutoAssignment(
  deps: AppDeps,
  policy: AssignmentPolicy,
  userId: UserId,
): Promise<AutoAddOutcome> {
  const assigned = await assignDirectly(deps, {
    actorId: "system",
    userId,
    packageId: policy.packageId,
    policyId: policy.id,
    reason: `Matches the auto-assignment rule of "${policy.name}".`,
    source: AUTO_ASSIGNMENT_SOURCE,
  });
  return assigned.ok
    ? { added: true, requestId: assigned.value.requestId }
    : { added: false, code: assigned.error.code, message: assigned.error.message };
}
