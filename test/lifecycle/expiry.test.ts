import assert from "node:assert/strict";
import { extendAssignment } from "../../src/domain/assignment/lifecycle";
import { addDays, addHours } from "../../src/domain/time";
import { config, crmRole, pkg, policy, salesGroup, seedAssignment } from "./support/governance";
import { drain, runUntil, schedulerFor } from "./support/run";
import { createWorld, T0 } from "./support/world";

async function setup(expiryDays = 30, extensionAllowed = true) {
  const world = createWorld();
  world.directory.add({ id: "ana" });
  const reviewed = policy("pol-sales", "pkg-sales", {
    lifecycle: {
      expiry: { kind: "afterDays", days: expiryDays },
      extension: { allowed: extensionAllowed, requiresApproval: false },
      selfRemoval: true,
    },
  });
  await world.stores.governance.save(
    config(
      [pkg("pkg-sales", [salesGroup, crmRole]), pkg("pkg-team", [salesGroup])],
      [reviewed, policy("pol-team", "pkg-team")],
    ),
  );
  const endAt = addDays(T0, expiryDays);
  const a = await seedAssignment(
    world,
    { id: "asg-1", userId: "ana", packageId: "pkg-sales", policyId: "pol-sales", startAt: T0, endAt },
    [salesGroup, crmRole],
  );
  return { world, a, endAt, scheduler: schedulerFor(world) };
}

describe("expiry and expiry reminders", () => {
  it("reminds 14 days and 1 day before the end, each exactly once, at the right time", async () => {
    const { world, endAt, scheduler } = await setup();
    world.clock.set(addHours(endAt, -336 - 1));
    await drain(scheduler);
    assert.equal(world.events.ofType("ExpiryReminderDue").length, 0);
    world.clock.set(addHours(endAt, -336));
    await drain(scheduler);
    assert.deepEqual(world.events.ofType("ExpiryReminderDue"), [
      { type: "ExpiryReminderDue", assignmentId: "asg-1", endAt, offsetHours: 336, canExtend: true },
    ]);
    await runUntil(world, scheduler, addHours(endAt, -1));
    assert.deepEqual(
      world.events.ofType("ExpiryReminderDue").map((e) => e.offsetHours),
      [336, 24],
    );
    assert.deepEqual((await world.stores.assignments.get("asg-1"))!.value.remindersSent, ["336", "24"]);
  });

  it("audits each reminder sent, once, as the system from the scheduler", async () => {
    const { world, endAt, scheduler } = await setup();
    await runUntil(world, scheduler, addHours(endAt, -1));
    await drain(scheduler);
    const rows = (await world.stores.audit.query({ subject: "assignment:asg-1" })).filter(
      (e) => e.action === "assignment.expiryReminded",
    );
    assert.deepEqual(rows.map((e) => [e.actor, e.source, e.targetUserId, e.packageId, e.reason]).reverse(), [
      ["system", "scheduler", "ana", "pkg-sales", `336 hours before the end (${endAt})`],
      ["system", "scheduler", "ana", "pkg-sales", `24 hours before the end (${endAt})`],
    ]);
  });

  it("offers no Extend when the policy does not allow extension", async () => {
    const { world, endAt, scheduler } = await setup(30, false);
    world.clock.set(addHours(endAt, -24));
    await drain(scheduler);
    assert.equal(world.events.ofType("ExpiryReminderDue")[0]?.canExtend, false);
  });

  it("removes two-day access after its end, with only the one-day reminder (expiry testing of 1-2 days)", async () => {
    const { world, endAt, scheduler } = await setup(2);
    await runUntil(world, scheduler, addHours(endAt, -1));
    assert.equal((await world.stores.assignments.get("asg-1"))!.value.state, "delivered");
    assert.deepEqual(
      world.events.ofType("ExpiryReminderDue").map((e) => e.offsetHours),
      [24],
    );
    await runUntil(world, scheduler, addHours(endAt, 1));
    const after = (await world.stores.assignments.get("asg-1"))!.value;
    assert.equal(after.state, "expired");
    assert.equal(world.provisioner.has("ana", salesGroup), false);
    assert.equal(world.provisioner.has("ana", crmRole), false);
    assert.deepEqual(world.events.ofType("AssignmentExpired"), [
      { type: "AssignmentExpired", assignmentId: "asg-1" },
    ]);
    const audit = await world.stores.audit.query({ subject: "assignment:asg-1" });
    assert.ok(
      audit.some(
        (e) => e.action === "assignment.expired" && e.actor === "system" && e.source === "scheduler",
      ),
    );
  });

  it("keeps a group another active assignment still grants when one expires (overlap-safe)", async () => {
    const { world, endAt, scheduler } = await setup(2);
    await seedAssignment(
      world,
      { id: "asg-team", userId: "ana", packageId: "pkg-team", policyId: "pol-team", startAt: T0 },
      [salesGroup],
    );
    await runUntil(world, scheduler, addHours(endAt, 1));
    assert.equal((await world.stores.assignments.get("asg-1"))!.value.state, "expired");
    assert.equal(world.provisioner.has("ana", salesGroup), true, "still granted by pkg-team");
    assert.equal(world.provisioner.has("ana", crmRole), false);
  });

  it("does not expire extended access at the old end, and reminds again before the new one", async () => {
    const { world, endAt, scheduler } = await setup(30);
    await runUntil(world, scheduler, addHours(endAt, -24));
    assert.equal(world.events.ofType("ExpiryReminderDue").length, 2);
    const stored = (await world.stores.assignments.get("asg-1"))!;
    const pol = (await world.stores.governance.load()).policies[0]!;
    const extended = extendAssignment(stored.value, { now: world.clock.now().toISOString(), policy: pol });
    assert.ok(extended.ok);
    await world.stores.assignments.update(extended.value.next, stored.etag);
    await world.stores.due.schedule(extended.value.deadlines);
    const newEnd = extended.value.next.endAt!;
    await runUntil(world, scheduler, addHours(endAt, 2));
    assert.equal((await world.stores.assignments.get("asg-1"))!.value.state, "delivered");
    await runUntil(world, scheduler, addHours(newEnd, 1), 6 * 3_600_000);
    assert.equal((await world.stores.assignments.get("asg-1"))!.value.state, "expired");
    assert.deepEqual(
      world.events.ofType("ExpiryReminderDue").map((e) => e.offsetHours),
      [336, 24, 336, 24],
    );
    assert.equal(world.events.ofType("AssignmentExpired").length, 1);
  });

  it("sends no reminder for access that was removed before it fell due", async () => {
    const { world, endAt, scheduler } = await setup(30);
    const stored = (await world.stores.assignments.get("asg-1"))!;
    await world.stores.assignments.update({ ...stored.value, state: "removed" }, stored.etag);
    await runUntil(world, scheduler, addHours(endAt, 1), 12 * 3_600_000);
    assert.equal(world.events.ofType("ExpiryReminderDue").length, 0);
    assert.equal(world.events.ofType("AssignmentExpired").length, 0);
  });
});
