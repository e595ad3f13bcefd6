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

/** The approvers `delegateId` decides for now; an ended delegation counts for nothing (checked at use). */
export async function principalsNow(deps: DelegationSources, delegateId: UserId): Promise<UserId[]> {
  if (!deps.delegations) return [];
  return principalsOf(
    await deps.delegations.listForDelegate(delegateId),
    delegateId,
    deps.clock.now().toISOString(),
  );
}

/** The delegates in force of these approvers: delegate id -> the approver they decide for. */
export async function delegatesOf(
  deps: DelegationSources,
  approverIds: readonly UserId[],
): Promise<Map<UserId, UserId>> {
  const delegates = new Map<UserId, UserId>();
  if (!deps.delegations || approverIds.length === 0) return delegates;
  const now = deps.clock.now().toISOString();
  const found = await Promise.all([...new Set(approverIds)].map((id) => deps.delegations!.get(id)));
  for (const d of found)
    if (d && isInForce(d, now) && !approverIds.includes(d.delegateId) && !delegates.has(d.delegateId))
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
