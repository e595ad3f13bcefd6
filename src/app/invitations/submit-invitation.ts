import type { AppDeps } from "../deps";
import type { AccessRequest, Instant, UserId } from "../../domain/model";
import { domainError, type DomainError } from "../../domain/errors";
import { err, ok, type Result } from "../../domain/result";
import { planInvitation, type InvitationPlan } from "../../domain/external/invitation";
import { validateRequest } from "../../domain/request/validate-request";
import { submitRequest as submitTransition } from "../../domain/request/submit";
import { loadIndex, loadPerson, nowIso } from "../shared/context";
import { applyEffects, auditRefusal, scheduleFirst } from "../shared/effects";
import { beginWaitingStage } from "../shared/stage-flow";
import { followUpDelivery } from "../shared/background";
import { claimForRequest, createClaimedRequest } from "../shared/claims";
import type { GovernanceIndex } from "../../domain/governance-index";

export interface InvitationInput {
  /** The sponsor: the internal user who asks (from the activity). */
  actorId: UserId;
  email: string;
  packageId: string;
  policyId?: string;
  justification: string;
  answers: Record<string, string>;
  schedule?: { startAt?: Instant; endAt?: Instant };
  source: string;
}

/**
 * Who may be invited to what, checked the same way for the form and for the submit: the sponsor is
 * internal, the domain belongs to a configured connected organisation, a policy of the package lets
 * its users have it, and nobody in the directory has the address yet (an existing guest asks
 * for themselves). A refusal is audited with the sponsor as actor.
 */
export async function checkInvitation(
  deps: AppDeps,
  input: Pick<InvitationInput, "actorId" | "email" | "packageId" | "source">,
): Promise<Result<{ plan: InvitationPlan; index: GovernanceIndex }>> {
  const refuse = async (error: DomainError) => {
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `package:${input.packageId}`,
      packageId: input.packageId,
      code: error.code,
      message: error.message,
      action: "request.refused",
    });
    return err(error);
  };
  const [index, inviter] = await Promise.all([loadIndex(deps), loadPerson(deps, input.actorId)]);
  if (!inviter) return refuse(domainError("INVITE.NOT_ALLOWED", "I can't find you in the directory."));
  const plan = planInvitation(index, inviter.user, input.email, input.packageId);
  if (!plan.ok) return refuse(plan.error);
  const existing = (await deps.directory.findUsers(plan.value.email, 5)).find(
    (u) =>
      u.mail?.toLowerCase() === plan.value.email || u.userPrincipalName.toLowerCase() === plan.value.email,
  );
  if (existing) {
    return refuse(
      domainError(
        "INVITE.ALREADY_IN_DIRECTORY",
        `${existing.displayName} already has an account here: they can ask for the package themselves.`,
        { details: { userId: existing.id } },
      ),
    );
  }
  return ok({ plan: plan.value, index });
}

/**
 * Asks for a package on behalf of a partner who has no account yet. The request's requester is the
 * sponsor, its target the invitee; it goes through the policy's approvals like any request, and
 * delivery invites the person before granting (`inviteBeforeDelivery`).
 */
export async function submitInvitation(
  deps: AppDeps,
  input: InvitationInput,
): Promise<Result<{ request: AccessRequest; followUp: Promise<void> }>> {
  const now = nowIso(deps);
  const checked = await checkInvitation(deps, input);
  if (!checked.ok) return checked;
  const { plan, index } = checked.value;
  const policy = input.policyId ? plan.policies.find((p) => p.id === input.policyId) : plan.policies[0];
  if (!policy) {
    return err(
      domainError("POLICY.NOT_ELIGIBLE", "That policy doesn't apply to partners; pick another one."),
    );
  }
  const valid = validateRequest(policy, input, now);
  if (!valid.ok) return err(valid.error);
  const targetId = plan.invitee.id;
  const requests = await deps.requests.listForUser(targetId);
  const submitted = submitTransition(
    {
      id: deps.ids.next("req"),
      type: "onBehalfAdd",
      requesterId: input.actorId,
      targetUserId: targetId,
      policy,
      input: valid.value,
    },
    { now, requestsOfTarget: requests.filter((r) => r.targetUserId === targetId), assignmentsOfTarget: [] },
  );
  if (!submitted.ok) return err(submitted.error);
  const invitation = { email: plan.email, organizationId: plan.organization.id, sponsorId: input.actorId };
  const withInvitation = { ...submitted.value, next: { ...submitted.value.next, invitation } };
  const begun = await beginWaitingStage(deps, index, withInvitation, policy, now);
  const claimed = await claimForRequest(deps, begun.next);
  if (!claimed.ok) return err(claimed.error);
  const ctx = {
    actor: input.actorId,
    source: input.source,
    targetUserId: targetId,
    packageId: policy.packageId,
  };
  // The sponsor and the organisation are on the request; the row says so in the audit trail too.
  const step = await scheduleFirst(deps, begun, [
    {
      ...ctx,
      action: "guest.inviteRequested",
      subject: `request:${begun.next.id}`,
      reason: `${plan.email} of ${plan.organization.name}, sponsored by the requester`,
      details: { email: plan.email, organizationId: plan.organization.id, sponsorId: input.actorId },
    },
  ]);
  const etag = await createClaimedRequest(deps, step.next);
  await applyEffects(deps, step, ctx, () => step.batch?.rows ?? []);
  return ok({ request: step.next, ...(await followUpDelivery(deps, { value: step.next, etag })) });
}
