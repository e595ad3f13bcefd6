import assert from "node:assert/strict";
import { ConcurrencyError } from "../../src/ports/versioned";
import { anAssignment, aReview, at } from "./fixtures";
import type { StoreContext } from "./harness";

export function assignmentAndReviewContract(ctx: StoreContext): void {
  describe("assignments", () => {
    it("lists assignments per user and per package, newest first, in every state", async () => {
      const { assignments } = ctx.stores();
      const first = anAssignment({ userId: "user-bob", packageId: "pkg-a", createdAt: at(1) });
      const second = anAssignment({
        userId: "user-bob",
        packageId: "pkg-b",
        createdAt: at(2),
        state: "expired",
      });
      const third = anAssignment({ userId: "user-eve", packageId: "pkg-a", createdAt: at(3) });
      for (const a of [first, second, third]) await assignments.create(a);
      assert.deepEqual(
        (await assignments.listForUser("user-bob")).map((a) => a.id),
        [second.id, first.id],
      );
      assert.deepEqual(
        (await assignments.listForPackage("pkg-a")).map((a) => a.id),
        [third.id, first.id],
      );
      assert.deepEqual(await assignments.listForPackage("pkg-none"), []);
    });

    it("lists the latest version after an update and refuses a stale one", async () => {
      const { assignments } = ctx.stores();
      const assignment = anAssignment({ userId: "user-bob" });
      const etag = await assignments.create(assignment);
      await assignments.update({ ...assignment, state: "removed", revision: 2 }, etag);
      await assert.rejects(
        assignments.update({ ...assignment, state: "expired", revision: 2 }, etag),
        ConcurrencyError,
      );
      assert.deepEqual(
        (await assignments.listForUser("user-bob")).map((a) => a.state),
        ["removed"],
      );
    });
  });

  describe("reviews", () => {
    const item = (userId: string, reviewers: string[]) => ({
      assignmentId: `asg-${userId}`,
      userId,
      reviewers,
      recommendation: "none" as const,
      recommendationReason: "",
    });

    it("lists reviews per package, newest first", async () => {
      const { reviews } = ctx.stores();
      const older = aReview({ packageId: "pkg-a", createdAt: at(1) });
      const newer = aReview({ packageId: "pkg-a", createdAt: at(2) });
      await reviews.create(older);
      await reviews.create(newer);
      await reviews.create(aReview({ packageId: "pkg-b" }));
      assert.deepEqual(
        (await reviews.listForPackage("pkg-a")).map((r) => r.id),
        [newer.id, older.id],
      );
    });

    it("lists an in-progress review for reviewers with an undecided item until they decide or it ends", async () => {
      const { reviews } = ctx.stores();
      const review = aReview({
        items: [item("user-bob", ["user-mgr"]), item("user-eve", ["user-mgr", "user-lead"])],
      });
      let etag = await reviews.create(review);
      assert.deepEqual(
        (await reviews.listActiveForReviewer("user-lead")).map((r) => r.id),
        [review.id],
      );
      assert.deepEqual(
        (await reviews.listActiveForReviewer("user-mgr")).map((r) => r.id),
        [review.id],
      );

      const decision = { outcome: "approve" as const, by: "user-lead", at: at(5), justification: "" };
      const decided = {
        ...review,
        items: [review.items[0]!, { ...review.items[1]!, decision }],
        revision: 2,
      };
      etag = await reviews.update(decided, etag);
      assert.deepEqual(await reviews.listActiveForReviewer("user-lead"), []);
      assert.deepEqual(
        (await reviews.listActiveForReviewer("user-mgr")).map((r) => r.revision),
        [2],
      );

      await reviews.update({ ...decided, state: "completed", revision: 3 }, etag);
      assert.deepEqual(await reviews.listActiveForReviewer("user-mgr"), []);
      assert.equal(
        (await reviews.listForPackage(review.packageId)).find((r) => r.id === review.id)?.revision,
        3,
      );
    });
  });
}
