import type { DomainEvent } from "../domain/model";

/**
 * Where use cases hand the events of a saved transition: notifications, card refreshes and channel
 * posts are derived from them (the sink reloads the state it shows, so a card is a view of storage).
 */
export interface EventSink {
  publish(events: DomainEvent[]): Promise<void>;
}
