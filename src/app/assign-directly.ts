import type { AppDeps } from "./deps";
import type { UserId } from "../domain/model";
import { domainError, type DomainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { submitRequest } from "../domain/request/submit";
import { followUpDelivery } from "./shared/background";
import { loadIndex, loadPerson, nowIso } from "./shared/context";
import { applyEffects, auditRefusal, scheduleFirst } from "./shared/effects";
import { separationOfDuties } from "./shared/sod";
import { authorizeAdmin } from "./shared/admin-role";
import { directAssignmentEnd, type DirectDuration } from "../domain/admin/direct-assignment";
import { claimForRequest, createClaimedRequest } from "./shared/claims";

/** An admin (or the system) is told the person already has it, or already asked for it. */
function alreadyThere(name: string, error: DomainError): DomainError {
  if (error.code === "REQUEST.ALREADY_ASSIGNED")
    return { ...error, message: `${name} already has this access package.` };
  if (error.code === "REQUEST.DUPLICATE")
    return { ...error, message: `${name} already has an open request for this access package.` };
  return error;
}

export interface AssignDirectlyInput {
  /**
   * An access package assignment manager of the package's catalog or a stronger role
   * (src/domain/admin/roles.ts), or "system" (auto-assignment, demo seeding).
   */
  actorId: UserId | "system";
  userId: UserId;
  packageId: string;
  /** Default: the package's first policy. */
  policyId?: string;
  reason: string;
  source: string;
  /** Set upfront by an administrator ("for 30 days", "until 2027-03-31"); default: the policy's expiry. */
  duration?: DirectDuration;
}

/**
 * Admin direct assignment (Entra's "Add assignment"): no request form and no approval, but
 * separation of duties still applies and everything is audited. The request is an "adminAdd" (by a
 * catalog owner) or "systemAdd" (by the system), approved at once and delivered. A person who
 * already has the package, or an open request for it, gets nothing more: REQUEST.ALREADY_ASSIGNED
 * or REQUEST.DUPLICATE (an auto-assignment run skips them), also when two adds race.
 */
export async function assignDirectly(
  deps: AppDeps,
  input: AssignDirectlyInput,
): Promise<Result<{ requestId: string }>> {
  const index = await loadIndex(deps);
  const pkg = index.package(input.packageId);
  const policy = input.policyId
    ? index.policiesOfPackage(input.packageId).find((p: { id: string }) => p.id === input.policyId)
    : index.policiesOfPackage(input.packageId)[0];
  const person = await loadPerson(deps, input.userId);
  const ctx = {
    actor: input.actorId,
    source: input.source,
    targetUserId: input.userId,
    packageId: input.packageId,
  };
  const refuse = async (error: ReturnType<typeof domainError>) => {
    await auditRefusal(deps, {
      ...ctx,
      subject: `package:${input.packageId}`,
      code: error.code,
      message: error.message,
      action: "request.refused",
    });
    return err(error);
  };
  if (!pkg || !policy)
    return refuse(domainError("PACKAGE.NOT_FOUND", "There is no such access package or policy."));
  if (!person) return refuse(domainError("REQUEST.INVALID", "The directory does not know that user."));
  if (input.actorId !== "system") {
    // Audited as admin.refused, with the role needed.
    const allowed = await authorizeAdmin(deps, index, {
      actorId: input.actorId,
      packageId: pkg.id,
      verb: "manageAssignments",
      source: input.source,
      targetUserId: input.userId,
    });
    if (!allowed.ok) return allowed;
  }
  const end = directAssignmentEnd(nowIso(deps), input.duration ?? {}, policy.lifecycle.expiry);
  if (!end.ok) return refuse(end.error);
  const [requests, assignments] = await Promise.all([
    deps.requests.listForUser(input.userId),
    deps.assignments.listForUser(input.userId),
  ]);
  const ofTarget = requests.filter((r) => r.targetUserId === input.userId);
  const sod = await separationOfDuties(deps, index, pkg, person, { assignments, requests });
  if (!sod.ok) return refuse(sod.error);

  const submitted = submitRequest(
    {
      id: deps.ids.next("req"),
      type: input.actorId === "system" ? "systemAdd" : "adminAdd",
      requesterId: input.actorId,
      targetUserId: input.userId,
      policy,
      input: { justification: input.reason, answers: {}, schedule: end.value ? { endAt: end.value } : {} },
      skipApproval: true,
    },
    { now: nowIso(deps), requestsOfTarget: ofTarget, assignmentsOfTarget: assignments },
  );
  // Already assigned or already asked for (seen in the lists, or held by the claim when two
  // arrive at once): nothing happened, so nothing to audit.
  if (!submitted.ok) return err(alreadyThere(person.user.displayName, submitted.error));
  const claimed = await claimForRequest(deps, submitted.value.next);
  if (!claimed.ok) return err(alreadyThere(person.user.displayName, claimed.error));
  const step = await scheduleFirst(deps, submitted.value);
  const request = step.next;
  const etag = await createClaimedRequest(deps, request);
  await applyEffects(deps, step, ctx);
  // Delivered before answering (auto-assignment counts on it), through the same follow-up as a
  // final approval, so a crash mid-delivery is resumed by the safety net.
  const { followUp } = await followUpDelivery(deps, { value: request, etag });
  await followUp;
  return ok({ requestId: request.id });
}
