import assert from "node:assert/strict";
import { FixedClock } from "../../src/adapters/runtime/clock";
import { SequentialIds } from "../../src/adapters/runtime/ids";
import { createLifecycleHandlers } from "../../src/app/lifecycle";
import { addDays, addHours } from "../../src/domain/time";
import { createScheduler, type Scheduler } from "../../src/scheduler";
import { azuriteForSuite, type RunningAzurite } from "../support/azurite";
import { azuriteStores, tableStoresOn } from "../support/stores";
import { config, crmRole, pkg, policy, salesGroup, seedAssignment } from "./support/governance";
import {
  createWorld,
  RecordingEvents,
  T0,
  TestDirectory,
  TestProvisioner,
  type World,
} from "./support/world";

const USERS = ["ana", "bob", "cid", "dee", "eli", "fay"];

/** Three processes: own table clients and scheduler each, one Azurite, one directory and clock. */
async function cluster(azurite: RunningAzurite, prefix: string, leaseNames: string[]) {
  const clock = new FixedClock(T0);
  const shared = {
    directory: new TestDirectory(),
    provisioner: new TestProvisioner(),
    events: new RecordingEvents(),
  };
  // One id space for all: each instance counting its own ids would give two batches one id.
  const ids = new SequentialIds();
  const worlds: World[] = [];
  for (let i = 0; i < leaseNames.length; i += 1) {
    // The first instance creates the tables; the others open their own clients on them.
    const stores =
      i === 0
        ? await azuriteStores(azurite, { tablePrefix: prefix })
        : tableStoresOn(azurite, { tablePrefix: prefix });
    worlds.push(createWorld({ stores, clock, shared, ids }));
  }
  const schedulers = worlds.map((w, i) =>
    createScheduler({
      deps: w.deps,
      leases: w.stores.leases,
      handlers: createLifecycleHandlers(),
      instanceId: `instance-${i}`,
      leaseName: leaseNames[i]!,
      claimMs: 60_000,
      leaseMs: 30_000,
    }),
  );
  const first = worlds[0]!;
  for (const u of USERS) shared.directory.add({ id: u });
  await first.stores.governance.save(
    config([pkg("pkg-sales", [salesGroup, crmRole])], [policy("pol-sales", "pkg-sales")]),
  );
  for (const [n, u] of USERS.entries()) {
    const endAt = addHours(addDays(T0, 20), n * 7);
    await seedAssignment(
      first,
      { id: `asg-${u}`, userId: u, packageId: "pkg-sales", policyId: "pol-sales", startAt: T0, endAt },
      [salesGroup, crmRole],
    );
  }
  return { clock, shared, worlds, schedulers };
}

/** Every live instance sweeps at once, at each step, until the clock reaches `until`. */
async function sweepTogether(clock: FixedClock, schedulers: Scheduler[], until: string, stepMs: number) {
  while (clock.now().getTime() < Date.parse(until)) {
    clock.advance(stepMs);
    for (let round = 0; round < 3; round += 1) await Promise.all(schedulers.map((s) => s.sweepOnce()));
  }
}

function assertEachOnce(events: RecordingEvents) {
  const reminders = events.ofType("ExpiryReminderDue").map((e) => `${e.assignmentId}:${e.offsetHours}`);
  assert.equal(reminders.length, USERS.length * 2);
  assert.equal(new Set(reminders).size, reminders.length, "no reminder twice");
  const expired = events.ofType("AssignmentExpired").map((e) => e.assignmentId);
  assert.deepEqual([...expired].sort(), USERS.map((u) => `asg-${u}`).sort());
}

describe("scheduler on Azurite", function () {
  this.timeout(120_000);
  const azurite = azuriteForSuite();

  it("three instances sharing one lease send each reminder and expire each assignment exactly once", async () => {
    const { clock, shared, schedulers } = await cluster(azurite(), "LifeLease", [
      "sweeper",
      "sweeper",
      "sweeper",
    ]);
    await sweepTogether(clock, schedulers, addDays(T0, 10), 12 * 3_600_000);
    // The instance holding the lease dies: the others take over once its lease runs out.
    const survivors = schedulers.slice(1);
    await sweepTogether(clock, survivors, addDays(T0, 23), 6 * 3_600_000);
    assertEachOnce(shared.events);
    for (const u of USERS) assert.equal(shared.provisioner.has(u, crmRole), false);
  });

  it("runs each item once even when three sweepers overlap (claims alone decide)", async () => {
    const { clock, shared, schedulers } = await cluster(azurite(), "LifeOverlap", ["a", "b", "c"]);
    await sweepTogether(clock, schedulers, addDays(T0, 23), 6 * 3_600_000);
    assertEachOnce(shared.events);
  });

  it("loses nothing when a sweeper dies holding claims it never completed", async () => {
    const { clock, shared, worlds, schedulers } = await cluster(azurite(), "LifeCrash", [
      "sweeper",
      "sweeper",
    ]);
    const dying = createScheduler({
      deps: worlds[0]!.deps,
      leases: worlds[0]!.stores.leases,
      handlers: { expiryReminder: () => new Promise<void>(() => undefined) }, // hangs: the process is gone
      instanceId: "dying",
      leaseName: "sweeper",
      claimMs: 60_000,
      leaseMs: 30_000,
    });
    clock.set(addDays(T0, 7)); // every 336-hour reminder is due
    void dying.sweepOnce();
    await new Promise((r) => setTimeout(r, 500));
    clock.advance(61_000); // its lease and its claim have run out
    await sweepTogether(clock, schedulers.slice(1), addDays(T0, 23), 6 * 3_600_000);
    assertEachOnce(shared.events);
  });
});
