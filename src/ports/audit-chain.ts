import type { AuditDay, ChainHead, DayAnchor } from "../domain/audit/chain";
import type { IndexCopy, StoredDay } from "../domain/audit/verify";
import type { AuditEntry } from "../domain/model";

/** An entry id appended again with other content: never overwritten, reported. */
export class AuditConflictError extends Error {
  readonly code = "AUDIT.CONFLICT";
  constructor(readonly entryId: string) {
    super(`audit entry ${entryId} already exists with other content; the stored entry is kept`);
    this.name = "AuditConflictError";
  }
}

/**
 * The chain behind the audit log, for verification, anchoring and retention. Reads here walk whole
 * days: operator commands and the daily sweep, never a request path.
 */
export interface AuditChainStore {
  /** Days with entries (the day directory), oldest first. */
  listDays(): Promise<AuditDay[]>;
  /** Every stored day chain from `fromDay` on (all if absent), oldest first, with heads and anchors. */
  readChains(fromDay?: AuditDay): Promise<StoredDay[]>;
  /** Every query copy (by subject, by user) of entries at or after `from`. */
  readCopies(from?: string): Promise<IndexCopy[]>;
  /** Where the query copies of an entry live, as `readCopies` names them. */
  copiesOf(entry: Pick<AuditEntry, "subject" | "targetUserId" | "action">): string[];
  /** Every anchor, oldest first. */
  anchors(): Promise<DayAnchor[]>;
  /**
   * Closes a day: its head is marked sealed (created empty if the day has none), so no entry joins
   * it afterwards. Returns the head as sealed.
   */
  sealDay(day: AuditDay): Promise<ChainHead>;
  /** Stores an anchor; the same anchor again is a no-op, another one for the day an error. */
  addAnchor(anchor: DayAnchor): Promise<void>;
  /** Deletes an anchored day's chain and the copies of its entries; the anchor stays, marked purged. */
  purgeDay(day: AuditDay): Promise<number>;
}
