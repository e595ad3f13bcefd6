import type { AccessRequest, Assignment, AuditEntry, DomainEvent, Instant } from "../domain/model";
import type { DueItem } from "./stores";

/** The entity whose saved state a batch of effects belongs to. */
export interface JournalSubject {
  kind: "request" | "assignment" | "review" | "delegation" | "guest";
  id: string;
}

/**
 * The effects of one transition, journaled in the due index (`item`) before the transition is
 * saved; the saved entity names the batch. The item stays until every notice of it is out.
 */
export interface EffectBatch {
  id: string;
  at: Instant;
  subject: JournalSubject;
  events: DomainEvent[];
  /** Audit rows of the step that no event carries (a resource granted or revoked), ids from the batch. */
  rows?: AuditEntry[];
  item: DueItem;
}

/** The state a journaled batch was saved with (it names the batch), as the use case holds it. */
export type SavedState =
  | { kind: "request"; value: AccessRequest }
  | { kind: "assignment"; value: Assignment };

/**
 * Where use cases hand the events of a saved transition: notifications, card refreshes and channel
 * posts are derived from them (the sink reloads the state it shows, so a card is a view of storage).
 */
export interface EventSink {
  /**
   * Queues the events; with a batch, the sink removes its journal item once all notices are out and
   * `writing` (the step's audit rows, written after the answer) is done. A sink given `writing` must
   * wait for it: a failure leaves the batch due, and its replay writes the rows again.
   */
  publish(
    events: DomainEvent[],
    batch?: EffectBatch,
    saved?: SavedState,
    writing?: Promise<unknown>,
  ): Promise<void>;
  /**
   * Runs a journaled batch again now (after a crash or a failed send): what the delivery log says
   * went out is skipped. Throws when something must be tried again later.
   */
  replay(batch: EffectBatch): Promise<void>;
}
