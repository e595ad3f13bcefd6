import assert from "node:assert/strict";
import {
  dryRunAutoAssignment,
  onDirectoryChanged,
  previewAutoAssignments,
  scheduleAutoAssignment,
} from "../../src/app/lifecycle";
import { addHours } from "../../src/domain/time";
import { config, crmRole, pkg, policy, salesGroup } from "./support/governance";
import { drain, runUntil, schedulerFor } from "./support/run";
import { createWorld, T0 } from "./support/world";

async function setup() {
  const world = createWorld();
  world.directory.add({ id: "ana", department: "Sales" });
  world.directory.add({ id: "bob", department: "Sales" });
  world.directory.add({ id: "eve", department: "Finance" });
  world.directory.add({ id: "sam", department: "Sales" });
  world.directory.groups.set("grp-auditors", ["sam"]);
  const auto = policy("pol-auto", "pkg-sales", {
    requestors: { kind: "none" },
    lifecycle: {
      expiry: { kind: "never" },
      extension: { allowed: false, requiresApproval: false },
      selfRemoval: false,
    },
    autoAssignment: { rule: 'user.department -eq "Sales"', enabled: true, removalGraceHours: 24 },
  });
  const cfg = config(
    [pkg("pkg-sales", [salesGroup, crmRole], { incompatibleGroupIds: ["grp-auditors"] })],
    [auto],
  );
  await world.stores.governance.save(cfg);
  return { world, cfg, scheduler: schedulerFor(world) };
}

const activeHolders = async (world: Awaited<ReturnType<typeof setup>>["world"]) =>
  (await world.stores.assignments.listForPackage("pkg-sales"))
    .filter((a) => ["delivering", "delivered"].includes(a.state))
    .map((a) => a.userId)
    .sort();

describe("auto-assignment", () => {
  it("plans adds and removals in a dry run without writing anything", async () => {
    const { world } = await setup();
    const plan = await dryRunAutoAssignment(world.deps, "pol-auto");
    assert.ok(plan.ok);
    assert.deepEqual(plan.value, { add: ["ana", "bob", "sam"], remove: [] });
    assert.deepEqual(await activeHolders(world), []);
  });

  it("previews a disabled rule against the directory before it is switched on, writing nothing", async () => {
    const { world } = await setup();
    const desired = await world.deps.governance.load();
    const disabled = {
      ...desired,
      policies: desired.policies.map((p) =>
        p.autoAssignment ? { ...p, autoAssignment: { ...p.autoAssignment, enabled: false } } : p,
      ),
    };
    const [preview] = await previewAutoAssignments(world.deps, disabled);
    assert.equal(preview!.enabled, false);
    assert.deepEqual(preview!.plan, { add: ["ana", "bob", "sam"], remove: [] });
    const broken = {
      ...disabled,
      policies: disabled.policies.map((p) =>
        p.autoAssignment ? { ...p, autoAssignment: { ...p.autoAssignment, rule: "user.department -eq" } } : p,
      ),
    };
    const [problem] = await previewAutoAssignments(world.deps, broken);
    assert.match(problem!.problem!, /expected a value after -eq/);
    assert.deepEqual(await activeHolders(world), []);
  });

  it("assigns matching users directly and skips, with an audit row, one whose groups conflict", async () => {
    const { world } = await setup();
    const [run] = await onDirectoryChanged(world.deps);
    assert.deepEqual(run!.added, ["ana", "bob"]);
    assert.deepEqual(run!.skipped, [{ userId: "sam", code: "SOD.CONFLICT" }]);
    assert.deepEqual(await activeHolders(world), ["ana", "bob"]);
    assert.equal(world.provisioner.has("ana", salesGroup), true);
    const requests = await world.stores.requests.listForUser("ana");
    assert.equal(requests[0]!.type, "systemAdd");
    const refused = await world.stores.audit.query({ targetUserId: "sam" });
    assert.ok(refused.some((e) => e.action === "request.refused" && e.details?.code === "SOD.CONFLICT"));
  });

  it("removes a user who stopped matching only after the grace period, re-checking then", async () => {
    const { world, scheduler } = await setup();
    await onDirectoryChanged(world.deps);
    world.directory.update("ana", { department: "Finance" });
    world.directory.update("bob", { department: "Finance" });
    const [run] = await onDirectoryChanged(world.deps);
    assert.deepEqual([...run!.removalScheduled].sort(), ["ana", "bob"]);
    await runUntil(world, scheduler, addHours(T0, 12));
    assert.deepEqual(
      await activeHolders(world),
      ["ana", "bob"],
      "nobody loses access during the grace period",
    );
    world.directory.update("bob", { department: "Sales" }); // bob is back before the grace ends
    await runUntil(world, scheduler, addHours(T0, 25));
    assert.deepEqual(await activeHolders(world), ["bob"]);
    assert.equal(world.provisioner.has("ana", salesGroup), false);
    assert.equal((await world.stores.assignments.listForUser("bob"))[0]!.autoRemovalDueAt, undefined);
    const removed = (await world.stores.assignments.listForUser("ana"))[0]!;
    assert.equal(removed.removalReason, "No longer matches the auto-assignment rule.");
  });

  it("re-evaluates on a recurring schedule", async () => {
    const { world, cfg, scheduler } = await setup();
    await scheduleAutoAssignment(world.deps, cfg, T0, { autoAssignmentIntervalMinutes: 60 });
    await drain(scheduler);
    assert.deepEqual(await activeHolders(world), ["ana", "bob"]);
    world.directory.add({ id: "new", department: "Sales" });
    await runUntil(world, scheduler, addHours(T0, 1), 15 * 60_000);
    assert.deepEqual(await activeHolders(world), ["ana", "bob", "new"]);
  });
});
