import { startDelegation, type Delegation } from "../../domain/delegation/delegation";
import { domainError, type DomainError } from "../../domain/errors";
import type { AccessRequest, UserId } from "../../domain/model";
import { currentApprovers } from "../../domain/request/participants";
import { err, ok, type Result } from "../../domain/result";
import type { AppDeps } from "../deps";
import { nowIso } from "../shared/context";
import { auditRow } from "../shared/effects";

export interface DelegateInput {
  /** The approver going away: the writer of the phrase, never card data. */
  actorId: UserId;
  delegateId: UserId;
  /** The end as an instant (the end of the day written), undefined when none was given. */
  until: string | undefined;
  source: string;
}

/**
 * `delegate my approvals to <person> until <date>`: saves the delegation (replacing one the approver
 * had), audits it, and has the delegate sent the approval cards waiting for the approver now. New
 * ones reach the delegate as they come (the notification sink asks `delegatesOf`).
 */
export async function delegateApprovals(
  deps: AppDeps,
  input: DelegateInput,
): Promise<Result<{ delegation: Delegation; pending: AccessRequest[]; replaced?: Delegation }, DomainError>> {
  if (!deps.delegations)
    return err(domainError("DELEGATION.INVALID", "Delegating approvals is not available here."));
  const delegate = await deps.directory.getUser(input.delegateId);
  const started = startDelegation(
    {
      approverId: input.actorId,
      delegateId: input.delegateId,
      until: input.until,
      delegateEnabled: delegate?.accountEnabled ?? false,
    },
    nowIso(deps),
  );
  if (!started.ok) return started;
  const delegation = started.value;
  const replaced = await deps.delegations.get(input.actorId);
  await deps.delegations.put(delegation);
  await deps.audit.append([
    auditRow(deps, {
      actor: input.actorId,
      action: "delegation.started",
      subject: `delegation:${input.actorId}`,
      targetUserId: input.delegateId,
      source: input.source,
      reason: `Approvals delegated until ${delegation.until}`,
      details: {
        delegateId: delegation.delegateId,
        until: delegation.until,
        ...(replaced ? { replaced: replaced.delegateId } : {}),
      },
    }),
  ]);
  // The delegate never gets a card they could not decide: their own requests stay out.
  const pending = (await deps.requests.listPendingForApprover(input.actorId)).filter(
    (r) =>
      currentApprovers(r).includes(input.actorId) &&
      r.requesterId !== input.delegateId &&
      r.targetUserId !== input.delegateId,
  );
  if (pending.length > 0)
    await deps.events.publish([
      {
        type: "ApprovalsDelegated",
        approverId: input.actorId,
        delegateId: input.delegateId,
        requestIds: pending.map((r) => r.id),
      },
    ]);
  return ok({ delegation, pending, ...(replaced ? { replaced } : {}) });
}

/** `stop delegating`: the approver decides alone again; audited. */
export async function stopDelegating(
  deps: AppDeps,
  input: { actorId: UserId; source: string },
): Promise<Result<Delegation, DomainError>> {
  const removed = await deps.delegations?.remove(input.actorId);
  if (!removed) return err(domainError("DELEGATION.NOT_FOUND", "You aren't delegating your approvals."));
  await deps.audit.append([
    auditRow(deps, {
      actor: input.actorId,
      action: "delegation.ended",
      subject: `delegation:${input.actorId}`,
      targetUserId: removed.delegateId,
      source: input.source,
      reason: "Stopped by the approver",
      details: { delegateId: removed.delegateId, until: removed.until },
    }),
  ]);
  return ok(removed);
}
