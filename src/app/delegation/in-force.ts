import { isInForce, principalsOf } from "../../domain/delegation/delegation";
import type { AccessRequest, UserId } from "../../domain/model";
import { currentApprovers } from "../../domain/request/participants";
import type { DelegationStore } from "../../ports/delegations";
import type { Clock } from "../../ports/runtime";

/** What reading delegations needs: the store (absent: nobody delegates) and the time. */
export interface DelegationSources {
  delegations?: DelegationStore;
  clock: Clock;
}

/**
 * The approvers `delegateId` decides for now; an ended delegation counts for nothing (checked at use).
 * The store may answer from a copy a few seconds old (`CachedDelegations`): a person it says decides
 * for nobody costs no storage read (every approver's click asks), and what it says they may do is
 * confirmed in storage, so a delegation stopped on another instance allows nothing. With `fresh`,
 * storage is asked in any case (a refused decision looks again for a delegation just started).
 */
export async function principalsNow(
  deps: DelegationSources,
  delegateId: UserId,
  options: { fresh?: boolean } = {},
): Promise<UserId[]> {
  if (!deps.delegations) return [];
  const now = deps.clock.now().toISOString();
  if (!options.fresh) {
    const cached = principalsOf(await deps.delegations.listForDelegate(delegateId), delegateId, now);
    if (cached.length === 0) return cached;
  }
  return principalsOf(await deps.delegations.listForDelegate(delegateId, { fresh: true }), delegateId, now);
}

/** The delegates in force of these approvers: delegate id -> the approver they decide for. */
export async function delegatesOf(
  deps: DelegationSources,
  approverIds: readonly UserId[],
): Promise<Map<UserId, UserId>> {
  const delegates = new Map<UserId, UserId>();
  if (!deps.delegations || approverIds.length === 0) return delegates;
  const now = deps.clock.now().toISOString();
  // One read of all delegations (few rows, usually cached), not a point read per approver.
  const found = (await deps.delegations.list()).filter((d) => approverIds.includes(d.approverId));
  // In the approvers' order, as before: the first approver's delegate wins a shared delegate.
  found.sort((a, b) => approverIds.indexOf(a.approverId) - approverIds.indexOf(b.approverId));
  for (const d of found)
    if (isInForce(d, now) && !approverIds.includes(d.delegateId) && !delegates.has(d.delegateId))
      delegates.set(d.delegateId, d.approverId);
  return delegates;
}

/**
 * Which delegates get a request's approval card with its approvers: those in force for one of these
 * approvers (or just `only`), never the requester or the person the access is for.
 */
export function delegatesToTell(
  delegates: ReadonlyMap<UserId, UserId> | undefined,
  request: { requesterId: UserId | "system"; targetUserId: UserId },
  approvers: readonly UserId[],
  only?: UserId,
): UserId[] {
  return [...(delegates ?? [])]
    .filter(([delegate, approver]) => (only ? delegate === only : approvers.includes(approver)))
    .map(([delegate]) => delegate)
    .filter((id) => id !== request.requesterId && id !== request.targetUserId);
}

/** Whether `userId` decides for one of the request's current approvers now (may see its card). */
export async function isDelegateFor(
  deps: DelegationSources,
  request: AccessRequest,
  userId: UserId,
): Promise<boolean> {
  const principals = await principalsNow(deps, userId);
  return principals.length > 0 && currentApprovers(request).some((a) => principals.includes(a));
}
