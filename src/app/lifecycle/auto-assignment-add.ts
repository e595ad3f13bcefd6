import type { GovernanceIndex } from "../../domain/governance-index";
import type { AssignmentPolicy, UserId } from "../../domain/model";
import { submitRequest } from "../../domain/request/submit";
import { checkSeparationOfDuties } from "../../domain/sod/separation-of-duties";
import { deliverRequest } from "../deliver-assignment";
import type { AppDeps } from "../deps";
import { loadPerson, nowIso } from "../shared/context";
import { applyEffects, auditRefusal } from "../shared/effects";

export const AUTO_ASSIGNMENT_SOURCE = "autoAssignment";

export type AutoAddOutcome =
  | { added: true; requestId: string }
  | { added: false; code: string; message: string };

/**
 * Gives a matching user the package: a "systemAdd" request, approved at once and delivered.
 * Separation of duties still applies: a conflict is audited and the user skipped.
 */
export async function addAutoAssignment(
  deps: AppDeps,
  index: GovernanceIndex,
  policy: AssignmentPolicy,
  userId: UserId,
): Promise<AutoAddOutcome> {
  const pkg = index.package(policy.packageId);
  const person = await loadPerson(deps, userId);
  if (!pkg || !person)
    return { added: false, code: "POLICY.NOT_ELIGIBLE", message: "Unknown package or user." };
  const [requests, assignments] = await Promise.all([
    deps.requests.listForUser(userId),
    deps.assignments.listForUser(userId),
  ]);
  const ofTarget = requests.filter((r) => r.targetUserId === userId);
  const ctx = {
    actor: "system" as const,
    source: AUTO_ASSIGNMENT_SOURCE,
    targetUserId: userId,
    packageId: pkg.id,
  };
  const sod = checkSeparationOfDuties(pkg, {
    assignments,
    requests: ofTarget,
    groupIds: person.groupIds,
    packagesById: index.packageMap(),
  });
  if (!sod.ok) {
    await auditRefusal(deps, {
      ...ctx,
      subject: `policy:${policy.id}`,
      code: sod.error.code,
      message: sod.error.message,
      action: "request.refused",
    });
    return { added: false, code: sod.error.code, message: sod.error.message };
  }
  const submitted = submitRequest(
    {
      id: deps.ids.next("req"),
      type: "systemAdd",
      requesterId: "system",
      targetUserId: userId,
      policy,
      input: {
        justification: `Matches the auto-assignment rule of "${policy.name}".`,
        answers: {},
        schedule: {},
      },
      skipApproval: true,
    },
    { now: nowIso(deps), requestsOfTarget: ofTarget, assignmentsOfTarget: assignments },
  );
  // Already assigned or already asked for (under any policy of the package): nothing to add.
  if (!submitted.ok) return { added: false, code: submitted.error.code, message: submitted.error.message };
  const request = submitted.value.next;
  await deps.requests.create(request);
  await applyEffects(deps, submitted.value, ctx);
  const delivered = await deliverRequest(deps, request.id);
  if (!delivered.ok)
    deps.logger.warn(
      { requestId: request.id, code: delivered.error.code },
      "auto-assignment delivery failed",
    );
  return { added: true, requestId: request.id };
}
