import { domainError, type DomainError } from "../errors";
import type { Instant, UserId } from "../model";
import { err, ok, type Result } from "../result";

/**
 * An approver away: until `until`, `delegateId` may decide the stages `approverId` may decide, and
 * gets their approval cards. One delegation per approver; a new one replaces it.
 */
export interface Delegation {
  approverId: UserId;
  delegateId: UserId;
  /** The end, exclusive: from this instant the delegation is over without anyone ending it. */
  until: Instant;
  createdAt: Instant;
  /**
   * The journaled batch of its effects (the audit row, the delegate's waiting cards): a batch
   * whose id is here belongs to a delegation that was saved; one whose id is not was never saved.
   */
  effectBatchId?: string;
}

/** The longest an approver may hand their approvals away at once. */
export const MAX_DELEGATION_DAYS = 180;
const DAY_MS = 86_400_000;

/** Whether the delegation is in force at `now`: it ends by itself at `until`, checked at every use. */
export const isInForce = (d: Delegation, now: Instant): boolean => Date.parse(d.until) > Date.parse(now);

/** A new delegation, or why not: never to oneself, to someone the directory does not know, or into the past. */
export function startDelegation(
  input: { approverId: UserId; delegateId: UserId; until: Instant | undefined; delegateEnabled: boolean },
  now: Instant,
): Result<Delegation, DomainError> {
  const invalid = (message: string) => err(domainError("DELEGATION.INVALID", message));
  if (input.delegateId === input.approverId) return invalid("You can't delegate your approvals to yourself.");
  if (!input.delegateEnabled) return invalid("That person's account is disabled; choose someone else.");
  if (input.until === undefined || Number.isNaN(Date.parse(input.until)))
    return invalid('Say until when, e.g. "until 2026-12-24" or "until 24 December 2026".');
  if (Date.parse(input.until) <= Date.parse(now))
    return invalid("That date has passed; give a date to come.");
  if (Date.parse(input.until) - Date.parse(now) > MAX_DELEGATION_DAYS * DAY_MS)
    return invalid(`A delegation lasts at most ${MAX_DELEGATION_DAYS} days; give an earlier date.`);
  return ok({
    approverId: input.approverId,
    delegateId: input.delegateId,
    until: input.until,
    createdAt: now,
  });
}

/**
 * The approvers a person decides for now: those whose delegation to them is in force. `delegations`
 * may hold anyone's; ended ones are ignored.
 */
export function principalsOf(delegations: readonly Delegation[], delegateId: UserId, now: Instant): UserId[] {
  return delegations.filter((d) => d.delegateId === delegateId && isInForce(d, now)).map((d) => d.approverId);
}

/**
 * For whom a delegate decides a stage: the first of `principals` among its active approvers, unless
 * the delegate is the requester or the person the access is for (their own request stays out of their
 * hands whoever delegated to them), or the principal is (nobody approves their own request by proxy).
 */
export function decidesFor(
  stageApprovers: readonly UserId[],
  principals: readonly UserId[],
  parties: { delegateId: UserId; requesterId: UserId | "system"; targetUserId: UserId },
): UserId | undefined {
  const own = (id: UserId) => id === parties.requesterId || id === parties.targetUserId;
  if (own(parties.delegateId)) return undefined;
  return principals.find((p) => stageApprovers.includes(p) && !own(p));
}

/**
 * For whom a delegate reviews an access review item: the first of `principals` among its reviewers.
 * Nobody reviews their own access by proxy: not the delegate's own item, nor a principal's self-review.
 */
export function reviewsFor(
  item: { reviewers: readonly UserId[]; userId: UserId },
  viewerId: UserId,
  principals: readonly UserId[],
): UserId | undefined {
  return decidesFor(item.reviewers, principals, {
    delegateId: viewerId,
    requesterId: item.userId,
    targetUserId: item.userId,
  });
}

/** Whether a person may decide a review item: one of its reviewers, or a delegate of one (`reviewsFor`). */
export const mayReviewItem = (
  item: { reviewers: readonly UserId[]; userId: UserId },
  viewerId: UserId,
  principals: readonly UserId[],
): boolean =>
  item.reviewers.includes(viewerId) ||
  // Without principals nobody is stood in for: skipped, as a card of a 20,000-item review asks 40,000 times.
  (principals.length > 0 && reviewsFor(item, viewerId, principals) !== undefined);
