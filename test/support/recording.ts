import type { DomainEvent } from "../../src/domain/model";
import type { EffectBatch, EventSink } from "../../src/ports/events";
import type { DueWorkIndex } from "../../src/ports/stores";
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

/**
 * Keeps what the use cases published, where no bot turns events into notifications. A journaled
 * batch counts as done once recorded (its due item is removed when a due index is given).
 */
export class RecordingEvents implements EventSink {
  readonly published: DomainEvent[] = [];
  constructor(public due?: Pick<DueWorkIndex, "remove">) {}
  async publish(events: DomainEvent[], batch?: EffectBatch): Promise<void> {
    this.published.push(...events);
    if (batch) await this.due?.remove([batch.item]);
  }
  async replay(batch: EffectBatch): Promise<void> {
    await this.publish(batch.events, batch);
  }
  types(): string[] {
    return this.published.map((e) => e.type);
  }
  ofType<T extends DomainEvent["type"]>(type: T): Extract<DomainEvent, { type: T }>[] {
    return this.published.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  }
}
