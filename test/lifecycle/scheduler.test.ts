import assert from "node:assert/strict";
import { createScheduler, resolveSchedulerSettings, DEFAULT_SCHEDULER_SETTINGS } from "../../src/scheduler";
import type { DueItem } from "../../src/ports/stores";
import { createWorld, T0, type World } from "./support/world";

const item = (dueAt: string, subjectId = "a-1"): DueItem => ({
  dueAt,
  kind: "expiry",
  subjectId,
  discriminator: "end",
});

function recorder(world: World, instanceId: string, ran: string[], fail?: (item: DueItem) => boolean) {
  return createScheduler({
    deps: world.deps,
    leases: world.stores.leases,
    instanceId,
    claimMs: 60_000,
    leaseMs: 30_000,
    maxAttempts: 3,
    handlers: {
      expiry: async (_deps, due) => {
        ran.push(`${instanceId}:${due.subjectId}@${world.clock.now().toISOString()}`);
        if (fail?.(due)) throw new Error("provisioning is down");
      },
    },
  });
}

describe("scheduler", () => {
  it("runs an item only once it is due, and only once", async () => {
    const world = createWorld();
    const ran: string[] = [];
    const s = recorder(world, "one", ran);
    await world.stores.due.schedule([item("2026-11-02T10:00:00.000Z")]);
    assert.deepEqual(await s.sweepOnce(), { claimed: 0, done: 0, failed: 0 });
    world.clock.set("2026-11-02T10:00:00.000Z");
    assert.deepEqual(await s.sweepOnce(), { claimed: 1, done: 1, failed: 0 });
    world.clock.set("2026-11-03T10:00:00.000Z");
    assert.deepEqual(await s.sweepOnce(), { claimed: 0, done: 0, failed: 0 });
    assert.deepEqual(ran, ["one:a-1@2026-11-02T10:00:00.000Z"]);
  });

  it("lets only the lease holder sweep; another instance takes over when the holder's lease expires", async () => {
    const world = createWorld();
    const ran: string[] = [];
    const first = recorder(world, "first", ran);
    const second = recorder(world, "second", ran);
    await first.sweepOnce(); // takes the lease
    await world.stores.due.schedule([item(T0, "a-1")]);
    assert.equal((await second.sweepOnce()).claimed, 0);
    world.clock.advance(31_000); // the first instance died: its lease ran out
    assert.equal((await second.sweepOnce()).done, 1);
    assert.deepEqual(ran, [`second:a-1@${world.clock.now().toISOString()}`]);
  });

  it("leaves a failed item claimed and retries it once the claim expires", async () => {
    const world = createWorld();
    const ran: string[] = [];
    let failures = 1;
    const s = recorder(world, "one", ran, () => failures-- > 0);
    await world.stores.due.schedule([item(T0)]);
    assert.deepEqual(await s.sweepOnce(), { claimed: 1, done: 0, failed: 1 });
    world.clock.advance(30_000);
    assert.equal((await s.sweepOnce()).claimed, 0, "still claimed");
    world.clock.advance(31_000);
    assert.deepEqual(await s.sweepOnce(), { claimed: 1, done: 1, failed: 0 });
    assert.equal(ran.length, 2);
  });

  it("drops an item after the capped number of failed attempts", async () => {
    const world = createWorld();
    const ran: string[] = [];
    const s = recorder(world, "one", ran, () => true);
    await world.stores.due.schedule([item(T0)]);
    for (let i = 0; i < 5; i += 1) {
      await s.sweepOnce();
      world.clock.advance(61_000);
    }
    assert.equal(ran.length, 3);
    assert.deepEqual(await world.stores.due.listDue(world.clock.now().toISOString(), 10), []);
  });

  it("picks up work a crashed sweeper claimed but never completed, after the claim expires", async () => {
    const world = createWorld();
    const ran: string[] = [];
    const hung = createScheduler({
      deps: world.deps,
      leases: world.stores.leases,
      instanceId: "hung",
      claimMs: 60_000,
      leaseMs: 30_000,
      handlers: { expiry: () => new Promise<void>(() => undefined) }, // never finishes: the process is gone
    });
    await world.stores.due.schedule([item(T0)]);
    void hung.sweepOnce();
    await new Promise((resolve) => setImmediate(resolve));
    const survivor = recorder(world, "survivor", ran);
    world.clock.advance(31_000);
    assert.equal((await survivor.sweepOnce()).claimed, 0, "the claim is still live");
    world.clock.advance(30_000);
    assert.equal((await survivor.sweepOnce()).done, 1);
    assert.equal(ran.length, 1);
  });

  it("counts an item without a handler as failed rather than losing it", async () => {
    const world = createWorld();
    const s = createScheduler({
      deps: world.deps,
      leases: world.stores.leases,
      instanceId: "x",
      handlers: {},
    });
    await world.stores.due.schedule([item(T0)]);
    assert.deepEqual(await s.sweepOnce(), { claimed: 1, done: 0, failed: 1 });
  });

  it("takes at most batchSize items per sweep, oldest first", async () => {
    const world = createWorld();
    const ran: string[] = [];
    const s = createScheduler({
      deps: world.deps,
      leases: world.stores.leases,
      instanceId: "one",
      batchSize: 2,
      handlers: { expiry: async (_d, due) => void ran.push(due.subjectId) },
    });
    await world.stores.due.schedule([
      item("2026-11-02T08:03:00.000Z", "c"),
      item("2026-11-02T08:01:00.000Z", "a"),
      item("2026-11-02T08:02:00.000Z", "b"),
    ]);
    assert.equal((await s.sweepOnce()).done, 2);
    assert.deepEqual(ran, ["a", "b"]);
  });

  it("sweeps on its own when started, and stops cleanly giving up the lease", async () => {
    const world = createWorld();
    const ran: string[] = [];
    const s = createScheduler({
      deps: world.deps,
      leases: world.stores.leases,
      instanceId: "loop",
      intervalMs: 5,
      jitterMs: 5,
      handlers: { expiry: async (_d, due) => void ran.push(due.subjectId) },
    });
    await world.stores.due.schedule([item(T0)]);
    s.start();
    for (let i = 0; i < 50 && ran.length === 0; i += 1) await new Promise((r) => setTimeout(r, 5));
    await s.stop();
    assert.deepEqual(ran, ["a-1"]);
    assert.equal(
      await world.stores.leases.acquire("due-work-sweeper", "other", world.clock.now().toISOString(), 1000),
      true,
    );
  });

  it("has defaults and refuses settings that would stall the loop", () => {
    assert.deepEqual(resolveSchedulerSettings(), DEFAULT_SCHEDULER_SETTINGS);
    assert.equal(
      resolveSchedulerSettings({ batchSize: 10, claimMs: undefined }).claimMs,
      DEFAULT_SCHEDULER_SETTINGS.claimMs,
    );
    assert.throws(() => resolveSchedulerSettings({ intervalMs: 0 }), /intervalMs/);
    assert.throws(() => resolveSchedulerSettings({ jitterMs: -1 }), /jitterMs/);
  });
});
