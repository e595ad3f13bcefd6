import { reviewsFor, startDelegation, type Delegation } from "../../domain/delegation/delegation";
import { domainError, type DomainError } from "../../domain/errors";
import type { AccessRequest, AccessReview, DomainEvent, UserId } from "../../domain/model";
import { currentApprovers } from "../../domain/request/participants";
import { err, ok, type Result } from "../../domain/result";
import type { AppDeps } from "../deps";
import { nowIso } from "../shared/context";
import { applyEffects, auditRefusal, auditRow } from "../shared/effects";
import { newBatch } from "../shared/journal";

export interface DelegateInput {
  /** The approver going away: the writer of the phrase, never card data. */
  actorId: UserId;
  delegateId: UserId;
  /** The end as an instant (the end of the day written), undefined when none was given. */
  until: string | undefined;
  source: string;
}

/** What waits for the approver that the delegate may decide: never their own request or access. */
async function waitingFor(
  deps: AppDeps,
  approverId: UserId,
  delegateId: UserId,
): Promise<{ pending: AccessRequest[]; reviews: AccessReview[] }> {
  const [requests, reviews] = await Promise.all([
    deps.requests.listPendingForApprover(approverId),
    deps.reviews.listActiveForReviewer(approverId),
  ]);
  return {
    pending: requests.filter(
      (r) =>
        currentApprovers(r).includes(approverId) &&
        r.requesterId !== delegateId &&
        r.targetUserId !== delegateId,
    ),
    reviews: reviews.filter(
      (r) =>
        r.state === "inProgress" &&
        r.items.some((i) => !i.decision && reviewsFor(i, delegateId, [approverId])),
    ),
  };
}

/**
 * `delegate my approvals to <person> until <date>`: saves the delegation (replacing one the approver
 * had), audits it, and has the delegate sent the approval and review cards waiting for the approver
 * now. New ones reach the delegate as they come (the notification sink asks `delegatesOf`). The audit
 * row and those cards are journaled before the delegation is saved (the commit point): a crash
 * right after the save leaves a batch that the effects sweep runs, one that never got saved a
 * batch that finds no delegation naming it and does nothing. A refusal is audited.
 */
export async function delegateApprovals(
  deps: AppDeps,
  input: DelegateInput,
): Promise<
  Result<
    { delegation: Delegation; pending: AccessRequest[]; reviews: AccessReview[]; replaced?: Delegation },
    DomainError
  >
> {
  const refuse = async (error: DomainError) => {
    await auditRefusal(deps, {
      actor: input.actorId,
      action: "delegation.refused",
      subject: `delegation:${input.actorId}`,
      targetUserId: input.delegateId,
      source: input.source,
      code: error.code,
      message: error.message,
    });
    return err(error);
  };
  if (!deps.delegations)
    return refuse(domainError("DELEGATION.INVALID", "Delegating approvals is not available here."));
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
  if (!started.ok) return refuse(started.error);
  const [replaced, { pending, reviews }] = await Promise.all([
    deps.delegations.get(input.actorId),
    // The delegate never gets a card they could not decide: their own requests and access stay out.
    waitingFor(deps, input.actorId, input.delegateId),
  ]);
  const events: DomainEvent[] =
    pending.length + reviews.length > 0
      ? [
          {
            type: "ApprovalsDelegated",
            approverId: input.actorId,
            delegateId: input.delegateId,
            requestIds: pending.map((r) => r.id),
            ...(reviews.length > 0 ? { reviewIds: reviews.map((r) => r.id) } : {}),
          },
        ]
      : [];
  const batch = newBatch(deps, { kind: "delegation", id: input.actorId }, events, [
    {
      actor: input.actorId,
      action: "delegation.started",
      subject: `delegation:${input.actorId}`,
      targetUserId: input.delegateId,
      source: input.source,
      reason: `Approvals delegated until ${started.value.until}`,
      details: {
        delegateId: started.value.delegateId,
        until: started.value.until,
        ...(replaced ? { replaced: replaced.delegateId } : {}),
      },
    },
  ]);
  // The journal first, then the delegation naming it: the save is the commit point.
  await deps.due.schedule([batch.item]);
  const delegation: Delegation = { ...started.value, effectBatchId: batch.id };
  await deps.delegations.put(delegation);
  await applyEffects(
    deps,
    { events, deadlines: [], batch },
    { actor: input.actorId, source: input.source, targetUserId: input.delegateId },
    () => batch.rows ?? [],
  );
  return ok({ delegation, pending, reviews, ...(replaced ? { replaced } : {}) });
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
