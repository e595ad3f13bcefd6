import assert from "node:assert/strict";
import {
  decideRemainingItems,
  decideReviewItem,
  listReviewResults,
  scheduleReviews,
} from "../../src/app/lifecycle";
import type { Assignment, ReviewSettings } from "../../src/domain/model";
import { addDays } from "../../src/domain/time";
import { azuriteForSuite, type RunningAzurite } from "../support/azurite";
import { azuriteStores } from "../support/stores";
import { config, crmRole, pkg, policy } from "./support/governance";
import { drain, schedulerFor } from "./support/run";
import { createWorld, T0, type World } from "./support/world";

const START = "2026-11-10T08:00:00.000Z";
const REVIEW_ID = "rvw_pol-crm_20261110080000";
/** More than one stored entity held in the old layout (~2,090 items). */
const PEOPLE = 2400;
const PER_MANAGER = 10;
/** Managers who decide (the first ones); the rest leave the review to its end. */
const DECIDING = 20;
const mgr = (n: number) => `mgr-${n}`;
const person = (i: number) => `user-${String(i).padStart(5, "0")}`;
const asg = (i: number) => `asg-${String(i).padStart(5, "0")}`;

async function inParallel(count: number, width: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** 2,400 people with an assignment, ten per manager; every hundredth account disabled. */
async function setup(azurite: RunningAzurite): Promise<World> {
  const world = createWorld({ stores: await azuriteStores(azurite) });
  const recent = addDays(T0, -2);
  for (let m = 0; m < PEOPLE / PER_MANAGER; m += 1) world.directory.add({ id: mgr(m), lastSignInAt: recent });
  for (let i = 0; i < PEOPLE; i += 1)
    world.directory.add({
      id: person(i),
      managerId: mgr(Math.floor(i / PER_MANAGER)),
      lastSignInAt: recent,
      accountEnabled: i % 100 !== 99,
    });
  const review: ReviewSettings = {
    recurrence: "monthly",
    startDate: START,
    durationDays: 14,
    reviewers: [{ kind: "manager", level: 1 }],
    fallbackReviewers: [],
    justificationRequired: false,
    ifNoResponse: "recommendation",
  };
  const lifecycle = {
    expiry: { kind: "never" as const },
    extension: { allowed: false, requiresApproval: false },
    selfRemoval: true,
    review,
  };
  const cfg = config([pkg("pkg-crm", [crmRole])], [policy("pol-crm", "pkg-crm", { lifecycle })]);
  await world.stores.governance.save(cfg);
  await inParallel(PEOPLE, 32, async (i) => {
    const a: Assignment = {
      id: asg(i),
      userId: person(i),
      packageId: "pkg-crm",
      policyId: "pol-crm",
      requestId: `req-${i}`,
      state: "delivered",
      startAt: T0,
      resources: [],
      remindersSent: [],
      createdAt: T0,
      updatedAt: T0,
      revision: 1,
    };
    await world.stores.assignments.create(a);
  });
  await scheduleReviews(world.deps, cfg, T0);
  return world;
}

const decide = (actorId: string, assignmentId: string, outcome: "approve" | "deny") => ({
  actorId,
  reviewId: REVIEW_ID,
  assignmentId,
  outcome,
  justification: "checked",
  source: "card:review",
});

describe("an access review larger than one stored entity, through the use cases on Azurite", function () {
  this.timeout(120_000);
  const azurite = azuriteForSuite();

  it("starts a 2,400-item review, takes decisions from many reviewers at once, and completes it", async () => {
    const world = await setup(azurite());
    const scheduler = schedulerFor(world);
    world.clock.set(new Date(START));
    await drain(scheduler);
    const started = (await world.stores.reviews.get(REVIEW_ID))!.value;
    assert.equal(started.items.length, PEOPLE);
    assert.deepEqual(started.items[15]!.reviewers, [mgr(1)]);

    // Someone who reviews nothing, and a reviewer reaching for another manager's item, are refused.
    const stranger = await decideReviewItem(world.deps, decide("user-00003", asg(40), "deny"));
    assert.equal(!stranger.ok && stranger.error.code, "REVIEW.NOT_A_REVIEWER");
    const other = await decideReviewItem(world.deps, decide(mgr(0), asg(40), "deny"));
    assert.equal(!other.ok && other.error.code, "REVIEW.NOT_A_REVIEWER");

    // Twenty managers, eight at once: each denies their first item, then approves the rest of theirs.
    const deciding = Array.from({ length: DECIDING }, (_, m) => m);
    await inParallel(deciding.length, 8, async (n) => {
      const m = deciding[n]!;
      const denied = await decideReviewItem(world.deps, decide(mgr(m), asg(m * PER_MANAGER), "deny"));
      assert.ok(denied.ok, `mgr-${m} deny: ${!denied.ok && denied.error.code}`);
      // What a decision answers with: the reviewer's own items, as their card shows them.
      assert.equal(denied.value.items.length, PER_MANAGER);
      const rest = await decideRemainingItems(world.deps, {
        actorId: mgr(m),
        reviewId: REVIEW_ID,
        outcome: "approve",
        source: "card:review",
      });
      assert.ok(rest.ok, `mgr-${m} rest: ${!rest.ok && rest.error.code}`);
    });
    assert.deepEqual(await world.stores.reviews.listActiveForReviewer(mgr(3)), []);
    assert.equal((await world.stores.reviews.listActiveForReviewer(mgr(DECIDING + 1))).length, 1);

    const running = (await world.stores.reviews.get(REVIEW_ID))!.value;
    assert.equal(running.items.filter((i) => i.decision?.outcome === "deny").length, DECIDING);
    assert.equal(running.items.filter((i) => i.decision?.outcome === "approve").length, DECIDING * 9);
    assert.equal(running.items.filter((i) => !i.decision).length, PEOPLE - DECIDING * PER_MANAGER);

    // The end: denials removed; nobody answered for the disabled accounts of the other managers.
    world.clock.set(new Date(addDays(START, 14)));
    await drain(scheduler);
    const [result] = await listReviewResults(world.deps, "pkg-crm");
    assert.equal(result?.state, "completed");
    const disabledUnanswered = Array.from({ length: PEOPLE }, (_, i) => i).filter(
      (i) => i % 100 === 99 && i >= DECIDING * PER_MANAGER,
    ).length;
    assert.equal(result?.counts.removed, DECIDING + disabledUnanswered);
    assert.equal((await world.stores.assignments.get(asg(0)))?.value.state === "delivered", false);
    assert.equal((await world.stores.assignments.get(asg(1)))?.value.state, "delivered");
    assert.deepEqual(await world.stores.reviews.listActiveForReviewer(mgr(DECIDING + 1)), []);
  });
});
