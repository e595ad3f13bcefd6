/**
 * The one way tests (and the benchmarks) wire Access Desk: stores, directory, provisioner, clock and
 * ids put together as src/main.ts does, the Teams side through the composition root's own `buildBot`.
 * `buildWorld` stops at the use cases and records their events; `buildBotWorld` adds the bot;
 * ./over-http.ts serves that bot on loopback. Stores come from ./stores.ts (memory or Azurite).
 */
import { CachedGovernanceStore } from "../../src/adapters/cache/cached-governance-store";
import { CachedDelegations } from "../../src/adapters/cache/cached-delegations";
import type { MemoryStores } from "../../src/adapters/memory";
import { FixedClock } from "../../src/adapters/runtime/clock";
import { SequentialIds } from "../../src/adapters/runtime/ids";
import { silentLogger } from "../../src/adapters/runtime/logger";
import type { AppDeps } from "../../src/app/deps";
import { type BotDeps, type BotSettings, type WiredBot, buildBot } from "../../src/composition/bot";
import type { Directory } from "../../src/ports/directory";
import type { EventSink } from "../../src/ports/events";
import type { Provisioner } from "../../src/ports/provisioner";
import type { Clock, IdGenerator } from "../../src/ports/runtime";
import type { Stores } from "../../src/ports/stores";
import { FixtureDirectory } from "../bot/fixtures/organization";
import { RecordingEvents, RecordingProvisioner } from "./recording";
import { memoryStores } from "./stores";
import { HmacLinkSigner } from "../../src/adapters/runtime/link-signer";

/** Signs audit download links in tests (a real deployment reads AUDIT_LINK_SECRET). */
export const TEST_LINK_SECRET = "test-secret-for-audit-download-links-0123456789";

/** Where a world's fixed clock starts unless told otherwise. */
export const START = "2026-11-23T10:00:00.000Z";

/** Every part is optional; the defaults are the fast, predictable ones. */
export interface WorldOptions<S extends Stores, D extends Directory, P extends Provisioner, C extends Clock> {
  /** Default: fresh, empty memory stores. */
  stores?: S;
  /** Default: the bot fixture organisation (test/bot/fixtures/organization.ts). */
  directory?: D;
  /** Default: a RecordingProvisioner that grants everything. */
  provisioner?: P;
  /** Default: a FixedClock at `start`. */
  clock?: C;
  start?: string;
  /** Default: SequentialIds (prefix_1, prefix_2, ...). */
  ids?: IdGenerator;
  /**
   * Read the governance (and the delegations) through the caches production uses. Off by default:
   * tests save a new configuration straight into the stores and expect the next call to see it.
   * (The bot, `buildBotWorld`, caches delegations in any case, as the composition root does.)
   */
  cachedGovernance?: boolean;
}

/** The wired parts; `S`, `D`, `P`, `C` are what the test passed, so it keeps their own methods. */
export interface WorldParts<S, D, P, C> {
  stores: S;
  directory: D;
  provisioner: P;
  clock: C;
}

export interface World<
  S = MemoryStores,
  D = FixtureDirectory,
  P = RecordingProvisioner,
  C = FixedClock,
  E = RecordingEvents,
> extends WorldParts<S, D, P, C> {
  deps: AppDeps;
  events: E;
}

export interface BotWorld<S = MemoryStores, D = FixtureDirectory, P = RecordingProvisioner, C = FixedClock>
  extends WorldParts<S, D, P, C> {
  /** `bot.deps` are the use cases' dependencies with the bot's notification sink. */
  bot: WiredBot;
}

/**
 * The use cases' dependencies but the event sink, as src/main.ts builds them. Each default is a
 * fresh object of the type the parameter defaults to, hence the casts: a caller that names a type
 * argument passes the value too.
 */
function wire<S extends Stores, D extends Directory, P extends Provisioner, C extends Clock>(
  options: WorldOptions<S, D, P, C>,
): WorldParts<S, D, P, C> & { base: Omit<BotDeps, "bot"> } {
  const stores = options.stores ?? (memoryStores() as Stores as S);
  const directory = options.directory ?? (new FixtureDirectory() as Directory as D);
  const provisioner = options.provisioner ?? (new RecordingProvisioner() as Provisioner as P);
  const clock = options.clock ?? (new FixedClock(options.start ?? START) as Clock as C);
  const base: Omit<BotDeps, "bot"> = {
    requests: stores.requests,
    assignments: stores.assignments,
    reviews: stores.reviews,
    governance: options.cachedGovernance
      ? new CachedGovernanceStore(stores.governance, clock)
      : stores.governance,
    due: stores.due,
    audit: stores.audit,
    conversations: stores.conversations,
    deliveries: stores.deliveries,
    claims: stores.claims,
    delegations: options.cachedGovernance ? new CachedDelegations(stores.delegations) : stores.delegations,
    auditLinks: { signer: new HmacLinkSigner(TEST_LINK_SECRET), used: stores.usedLinks },
    directory,
    provisioner,
    clock,
    ids: options.ids ?? new SequentialIds(),
    logger: silentLogger,
  };
  return { stores, directory, provisioner, clock, base };
}

/** The use cases alone: what they publish goes to `events` (a RecordingEvents unless given). */
export function buildWorld<
  S extends Stores = MemoryStores,
  D extends Directory = FixtureDirectory,
  P extends Provisioner = RecordingProvisioner,
  C extends Clock = FixedClock,
  E extends EventSink = RecordingEvents,
>(options: WorldOptions<S, D, P, C> & { events?: E } = {}): World<S, D, P, C, E> {
  const { base, ...parts } = wire(options);
  const events = options.events ?? (new RecordingEvents() as EventSink as E);
  // Journaled batches are done once recorded: nothing is left due for a sweep to announce.
  if (events instanceof RecordingEvents) events.due ??= parts.stores.due;
  return { ...parts, events, deps: { ...base, events } };
}

/** The use cases behind the bot, as the composition root builds it (local mode unless `bot` says). */
export function buildBotWorld<
  S extends Stores = MemoryStores,
  D extends Directory = FixtureDirectory,
  P extends Provisioner = RecordingProvisioner,
  C extends Clock = FixedClock,
>(options: WorldOptions<S, D, P, C> & { bot?: Partial<BotSettings> } = {}): BotWorld<S, D, P, C> {
  const { base, ...parts } = wire(options);
  return { ...parts, bot: buildBot({ ...base, bot: { appId: "", ...options.bot } }) };
}
