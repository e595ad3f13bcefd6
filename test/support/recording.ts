import type { DomainEvent } from "../../src/domain/model";
import type { EventSink } from "../../src/ports/events";
import type { Provisioner, ProvisioningOperation } from "../../src/ports/provisioner";

/** Grants everything and records what it was asked: for tests that care what was sent, not held. */
export class RecordingProvisioner implements Provisioner {
  readonly applied: ProvisioningOperation[] = [];
  async apply(operations: ProvisioningOperation[]) {
    this.applied.push(...operations);
    return operations.map(() => ({ status: "done" as const }));
  }
  async holds() {
    return false;
  }
}

/** Keeps what the use cases published, where no bot turns events into notifications. */
export class RecordingEvents implements EventSink {
  readonly published: DomainEvent[] = [];
  async publish(events: DomainEvent[]): Promise<void> {
    this.published.push(...events);
  }
  types(): string[] {
    return this.published.map((e) => e.type);
  }
  ofType<T extends DomainEvent["type"]>(type: T): Extract<DomainEvent, { type: T }>[] {
    return this.published.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  }
}
