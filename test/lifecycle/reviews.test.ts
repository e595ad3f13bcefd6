import assert from "node:assert/strict";
import {
  completeAccessReview,
  decideRemainingItems,
  decideReviewItem,
  listReviewResults,
  scheduleReviews,
} from "../../src/app/lifecycle";
import type { ReviewSettings } from "../../src/domain/model";
import { addDays } from "../../src/domain/time";
import { config, crmRole, pkg, policy, seedAssignment } from "./support/governance";
import { drain, runUntil, schedulerFor } from "./support/run";
import { createWorld, T0 } from "./support/world";

const START = "2026-11-10T08:00:00.000Z";
const REVIEW_ID = "rvw_pol-crm_20261110080000";

async function setup(ifNoResponse: ReviewSettings["ifNoResponse"] = "recommendation") {
  const world = createWorld();
  const recent = addDays(T0, -2);
  world.directory.add({ id: "mgr", lastSignInAt: recent });
  world.directory.add({ id: "ana", managerId: "mgr", lastSignInAt: recent });
  world.directory.add({ id: "bob", managerId: "mgr", lastSignInAt: addDays(T0, -60) });
  world.directory.add({ id: "cid", lastSignInAt: recent }); // no manager: the fallback reviewer reviews
  const review: ReviewSettings = {
    recurrence: "monthly",
    startDate: START,
    durationDays: 14,
    reviewers: [{ kind: "manager", level: 1 }],
    fallbackReviewers: [{ kind: "users", userIds: ["sec"] }],
    justificationRequired: true,
    ifNoResponse,
  };
  const cfg = config(
    [pkg("pkg-crm", [crmRole])],
    [
      policy("pol-crm", "pkg-crm", {
        lifecycle: {
          expiry: { kind: "never" },
          extension: { allowed: false, requiresApproval: false },
          selfRemoval: true,
          review,
        },
      }),
    ],
  );
  await world.stores.governance.save(cfg);
  for (const user of ["ana", "bob", "cid"]) {
    await seedAssignment(
      world,
      { id: `asg-${user}`, userId: user, packageId: "pkg-crm", policyId: "pol-crm", startAt: T0 },
      [crmRole],
    );
  }
  await scheduleReviews(world.deps, cfg, T0);
  const scheduler = schedulerFor(world);
  return { world, cfg, scheduler };
}

const decide = (
  actorId: string,
  assignmentId: string,
  outcome: "approve" | "deny",
  justification = "checked",
) => ({
  actorId,
  reviewId: REVIEW_ID,
  assignmentId,
  outcome,
  justification,
  source: "card:review",
});

describe("access reviews", () => {
  it("schedules the first review start once, however often it is asked", async () => {
    const { world, cfg } = await setup();
    await scheduleReviews(world.deps, cfg, T0);
    await scheduleReviews(world.deps, cfg, "2026-11-05T00:00:00.000Z");
    const due = await world.stores.due.listDue(START, 100);
    assert.deepEqual(
      due.filter((d) => d.value.kind === "reviewStart").map((d) => d.value),
      [{ dueAt: START, kind: "reviewStart", subjectId: "pol-crm", discriminator: START }],
    );
  });

  it("starts on the recurrence date with reviewers resolved per item and a recommendation", async () => {
    const { world, scheduler } = await setup();
    await runUntil(world, scheduler, "2026-11-10T07:00:00.000Z");
    assert.equal(world.events.ofType("ReviewStarted").length, 0);
    await runUntil(world, scheduler, START);
    const review = (await world.stores.reviews.get(REVIEW_ID))!.value;
    assert.equal(review.period, "2026-11");
    assert.equal(review.endAt, "2026-11-24T08:00:00.000Z");
    const byUser = Object.fromEntries(review.items.map((i) => [i.userId, i]));
    assert.deepEqual(byUser.ana!.reviewers, ["mgr"]);
    assert.deepEqual(byUser.cid!.reviewers, ["sec"], "fallback reviewer when there is no manager");
    assert.equal(byUser.ana!.recommendation, "approve");
    assert.equal(byUser.bob!.recommendation, "deny");
    assert.match(byUser.bob!.recommendationReason, /67 days ago \(more than 30\)/);
    assert.deepEqual(world.events.ofType("ReviewStarted"), [{ type: "ReviewStarted", reviewId: REVIEW_ID }]);
  });

  it("refuses a decision from someone who is not the item's reviewer, or without a required reason", async () => {
    const { world, scheduler } = await setup();
    await runUntil(world, scheduler, START);
    const notReviewer = await decideReviewItem(world.deps, decide("sec", "asg-ana", "deny"));
    assert.equal(!notReviewer.ok && notReviewer.error.code, "REVIEW.NOT_A_REVIEWER");
    const noReason = await decideReviewItem(world.deps, decide("mgr", "asg-ana", "deny", " "));
    assert.equal(!noReason.ok && noReason.error.code, "REVIEW.JUSTIFICATION_REQUIRED");
    const self = await decideReviewItem(world.deps, decide("ana", "asg-ana", "approve"));
    assert.equal(!self.ok && self.error.code, "REVIEW.NOT_A_REVIEWER");
  });

  it("removes access the manager denied when the review ends, and applies the policy to unreviewed items", async () => {
    const { world, scheduler } = await setup("recommendation");
    await runUntil(world, scheduler, START);
    const denied = await decideReviewItem(world.deps, decide("mgr", "asg-ana", "deny", "moved to finance"));
    assert.ok(denied.ok);
    const audit = await world.stores.audit.query({ subject: `review:${REVIEW_ID}` });
    assert.ok(
      audit.some(
        (e) => e.action === "review.decided" && e.actor === "mgr" && e.reason === "moved to finance",
      ),
    );
    await runUntil(world, scheduler, "2026-11-24T09:00:00.000Z", 6 * 3_600_000);
    const states = Object.fromEntries(
      await Promise.all(
        ["ana", "bob", "cid"].map(async (u) => [
          u,
          (await world.stores.assignments.get(`asg-${u}`))!.value.state,
        ]),
      ),
    );
    // ana denied; bob not reviewed and recommended for denial; cid not reviewed, recommended to keep.
    assert.deepEqual(states, { ana: "removed", bob: "removed", cid: "delivered" });
    assert.equal(world.provisioner.has("ana", crmRole), false);
    assert.equal(world.provisioner.has("cid", crmRole), true);
    const review = (await world.stores.reviews.get(REVIEW_ID))!.value;
    assert.equal(review.state, "completed");
    assert.deepEqual(world.events.ofType("ReviewCompleted"), [
      { type: "ReviewCompleted", reviewId: REVIEW_ID, removedAssignmentIds: ["asg-ana", "asg-bob"] },
    ]);
    const late = await decideReviewItem(world.deps, decide("mgr", "asg-cid", "deny"));
    assert.equal(!late.ok && late.error.code, "REVIEW.NOT_ACTIVE");
    const next = await world.stores.due.listDue("2026-12-10T08:00:00.000Z", 100);
    assert.ok(
      next.some((d) => d.value.kind === "reviewStart" && d.value.dueAt === "2026-12-10T08:00:00.000Z"),
    );
  });

  it("removes access once when the completed review's save loses a race, and what a late denial adds", async () => {
    const { world, scheduler } = await setup("recommendation");
    await runUntil(world, scheduler, START);
    assert.ok((await decideReviewItem(world.deps, decide("mgr", "asg-ana", "deny", "moved"))).ok);
    world.clock.set("2026-11-24T08:00:00.000Z");
    // Meanwhile a late denial of cid's access lands (a reviewer whose clock runs behind).
    const reviews = world.stores.reviews;
    const update = reviews.update.bind(reviews);
    let raced = false;
    reviews.update = async (review, etag) => {
      if (!raced) {
        raced = true;
        const current = (await reviews.get(REVIEW_ID))!;
        const decision = { outcome: "deny" as const, by: "sec", at: START, justification: "late" };
        const items = current.value.items.map((i) => (i.userId === "cid" ? { ...i, decision } : i));
        await update({ ...current.value, items, revision: current.value.revision + 1 }, current.etag);
      }
      return update(review, etag);
    };
    await completeAccessReview(world.deps, REVIEW_ID);
    const revokes = world.provisioner.operations
      .filter((op) => op.action === "revoke")
      .map((op) => op.userId);
    assert.deepEqual(revokes, ["ana", "bob", "cid"], "each removal once, outside the compare-and-swap");
    assert.equal((await reviews.get(REVIEW_ID))!.value.state, "completed");
    assert.deepEqual(world.events.ofType("ReviewCompleted"), [
      {
        type: "ReviewCompleted",
        reviewId: REVIEW_ID,
        removedAssignmentIds: ["asg-ana", "asg-bob", "asg-cid"],
      },
    ]);
    const completed = (await world.stores.audit.query({ subject: `review:${REVIEW_ID}` })).filter(
      (e) => e.action === "review.completed",
    );
    assert.deepEqual(
      completed.map((e) => e.reason),
      ["Access review 2026-11 ended: 3 of 3 removed."],
    );
  });

  for (const [ifNoResponse, expected] of [
    ["keep", { ana: "delivered", bob: "delivered" }],
    ["remove", { ana: "removed", bob: "removed" }],
  ] as const) {
    it(`follows ifNoResponse "${ifNoResponse}" for items nobody reviewed`, async () => {
      const { world, scheduler } = await setup(ifNoResponse);
      await runUntil(world, scheduler, "2026-11-24T09:00:00.000Z", 12 * 3_600_000);
      const ana = (await world.stores.assignments.get("asg-ana"))!.value.state;
      const bob = (await world.stores.assignments.get("asg-bob"))!.value.state;
      assert.deepEqual({ ana, bob }, expected);
    });
  }

  it("reminds, at the midpoint, only the reviewers who have not finished", async () => {
    const { world, scheduler } = await setup();
    await runUntil(world, scheduler, START);
    const all = await decideRemainingItems(world.deps, {
      actorId: "mgr",
      reviewId: REVIEW_ID,
      outcome: "approve",
      justification: "team still needs it",
      source: "card:review",
    });
    assert.ok(all.ok);
    assert.deepEqual(world.events.ofType("ReviewItemDecided")[0]!.assignmentIds, ["asg-ana", "asg-bob"]);
    await runUntil(world, scheduler, "2026-11-17T07:00:00.000Z");
    assert.equal(world.events.ofType("ReviewReminderDue").length, 0);
    await runUntil(world, scheduler, "2026-11-17T08:00:00.000Z");
    await drain(scheduler);
    assert.deepEqual(world.events.ofType("ReviewReminderDue"), [
      { type: "ReviewReminderDue", reviewId: REVIEW_ID, reviewerIds: ["sec"] },
    ]);
  });

  it("lists review results per package and period", async () => {
    const { world, scheduler } = await setup();
    await runUntil(world, scheduler, START);
    await decideReviewItem(world.deps, decide("mgr", "asg-ana", "approve"));
    const [result] = await listReviewResults(world.deps, "pkg-crm", "2026-11");
    assert.equal(result!.state, "inProgress");
    assert.deepEqual(result!.counts, { total: 3, approved: 1, denied: 0, notReviewed: 2, removed: 0 });
    assert.deepEqual(await listReviewResults(world.deps, "pkg-crm", "2026-10"), []);
  });
});
