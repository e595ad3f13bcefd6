import type { Delegation } from "../domain/delegation/delegation";
import type { UserId } from "../domain/model";

/** How a delegation read may be answered. */
export interface DelegationReadOptions {
  /** From storage now, not from a process's cache: for anything a delegation would allow. */
  fresh?: boolean;
}

/**
 * Approvers' delegations, one per approver. Few rows (people away at one time), read on every
 * approval card and decision, so every read may scan them all; ended rows are removed by
 * `stop delegating` or left for the readers to ignore (`isInForce`). A cached implementation
 * (`CachedDelegations`) may answer a read without `fresh` from a copy a few seconds old.
 */
export interface DelegationStore {
  get(approverId: UserId): Promise<Delegation | undefined>;
  /** Saves the approver's delegation, replacing the one they had. */
  put(delegation: Delegation): Promise<void>;
  /** Removes the approver's delegation; the one removed, or undefined when there was none. */
  remove(approverId: UserId): Promise<Delegation | undefined>;
  /** Every stored delegation, in force or not, ordered by approver. */
  list(options?: DelegationReadOptions): Promise<Delegation[]>;
  /** The delegations to this person, in force or not. */
  listForDelegate(delegateId: UserId, options?: DelegationReadOptions): Promise<Delegation[]>;
}
