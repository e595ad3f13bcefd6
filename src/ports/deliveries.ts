import type { Instant } from "../domain/model";

/** What became of one message of an effect batch. */
export interface DeliveryRecord {
  /** The message within its batch: event index, kind and recipient ("2|user|maria"). */
  key: string;
  /**
   * `sent`: delivered (its activity id kept); `undeliverable`: refused for good (403, 404);
   * `superseded`: a progress notice dropped because a later message about its request overtook it.
   */
  status: "sent" | "undeliverable" | "superseded";
  activityId?: string;
  conversationId?: string;
  /** Why it could not be delivered. */
  reason?: string;
  at: Instant;
}

/**
 * What each journaled effect batch already delivered, so a batch run again after a crash or a
 * failed send skips what went out and never posts twice.
 */
export interface DeliveryLog {
  /** Every record of a batch (one partition read). */
  listBatch(batchId: string): Promise<DeliveryRecord[]>;
  /** Idempotent: recording a key again replaces it. */
  record(batchId: string, record: DeliveryRecord): Promise<void>;
}
