import type { AppDeps } from "../../../../src/app/deps";
import type { DomainEvent, GovernanceConfig } from "../../../../src/domain/model";
import type { EventSink } from "../../../../src/ports/events";
import type { Logger } from "../../../../src/ports/logger";
import {
  createMemoryStores,
  MemoryGovernanceStore,
  type MemoryStores,
} from "../../../../src/adapters/memory";
import { FixedClock } from "../../../../src/adapters/runtime/clock";
import { SequentialIds } from "../../../../src/adapters/runtime/ids";
import { config as seedConfig, NOW, user } from "../../domain/support/fixtures";
import { MapDirectory } from "./directory";
import { MapProvisioner } from "./provisioner";

export class RecordingEvents implements EventSink {
  readonly published: DomainEvent[] = [];
  async publish(events: DomainEvent[]): Promise<void> {
    this.published.push(...events);
  }
  types(): string[] {
    return this.published.map((e) => e.type);
  }
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};

export interface World {
  deps: AppDeps;
  stores: MemoryStores;
  clock: FixedClock;
  directory: MapDirectory;
  provisioner: MapProvisioner;
  events: RecordingEvents;
}

/**
 * The seed's organisation: alice (requester, also in the security group), her manager mark,
 * sam and sue in security, fiona the fallback approver, olivia the catalog owner.
 */
export function world(config: GovernanceConfig = seedConfig()): World {
  const stores = createMemoryStores();
  stores.governance = new MemoryGovernanceStore(config);
  const clock = new FixedClock(NOW);
  const directory = new MapDirectory()
    .addUser(user("alice", { managerId: "mark" }))
    .addUser(user("mark"))
    .addUser(user("sam"))
    .addUser(user("sue"))
    .addUser(user("fiona"))
    .addUser(user("olivia"))
    .addUser(user("nomgr"))
    .addGroup("grp-security", "Cyber Security", ["sam", "sue", "alice"]);
  const provisioner = new MapProvisioner();
  const events = new RecordingEvents();
  const deps: AppDeps = {
    ...stores,
    directory,
    provisioner,
    events,
    clock,
    ids: new SequentialIds(),
    logger: silentLogger,
  };
  return { deps, stores, clock, directory, provisioner, events };
}

export function unwrap<T>(
  result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
