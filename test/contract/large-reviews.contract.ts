import assert from "node:assert/strict";
import type { AccessReview, ReviewItem } from "../../src/domain/model";
import { ConcurrencyError } from "../../src/ports/versioned";
import { aReview, at } from "./fixtures";
import type { StoreContext } from "./harness";

/** 3,000 items over 300 reviewers (ten each, scattered as a directory lists them): past one entity's 2,090. */
export function largeReview(size = 3000, reviewers = 300): AccessReview {
  const items: ReviewItem[] = Array.from({ length: size }, (_, i) => ({
    assignmentId: `asg-${String(i).padStart(5, "0")}`,
    userId: `user-${i}`,
    reviewers: [`mgr-${i % reviewers}`],
    recommendation: i % 7 === 0 ? "deny" : "approve",
    recommendationReason: "Signed in within the last 30 days.",
  }));
  return aReview({ items });
}

const decision = { outcome: "deny" as const, by: "mgr-7", at: at(5), justification: "Left the team." };

/** Reviews larger than one entity holds: both stores keep them whole and let a decision read only its part. */
export function largeReviewContract(ctx: StoreContext): void {
  describe("reviews of thousands of items", () => {
    it("stores a 3,000-item review and reads it back whole, items in order", async () => {
      const { reviews } = ctx.stores();
      const review = largeReview();
      const etag = await reviews.create(review);
      const read = await reviews.get(review.id);
      assert.equal(read?.etag, etag);
      assert.deepEqual(read?.value, review);
      assert.equal(await reviews.create(review), etag, "the same create again is done");
    });

    it("reads for a reviewer only their items, in order, and an update of those keeps every other item", async () => {
      const { reviews } = ctx.stores();
      const review = largeReview();
      await reviews.create(review);
      const part = await reviews.getForReviewers(review.id, ["mgr-7"]);
      assert.deepEqual(
        part?.value.items.map((i) => i.assignmentId),
        review.items.filter((i) => i.reviewers.includes("mgr-7")).map((i) => i.assignmentId),
      );
      const decided = part!.value.items.map((i, n) => (n < 3 ? { ...i, decision } : i));
      const etag = await reviews.update({ ...part!.value, items: decided, revision: 2 }, part!.etag);
      const whole = (await reviews.get(review.id))!;
      assert.equal(whole.etag, etag);
      assert.equal(whole.value.revision, 2);
      assert.equal(whole.value.items.length, 3000);
      assert.deepEqual(
        whole.value.items.filter((i) => i.decision).map((i) => i.assignmentId),
        decided.slice(0, 3).map((i) => i.assignmentId),
      );
      assert.deepEqual(
        whole.value.items.map((i) => ({ ...i, decision: undefined })),
        review.items.map((i) => ({ ...i, decision: undefined })),
      );
    });

    it("refuses an update at a version another decision replaced, and keeps the winner's", async () => {
      const { reviews } = ctx.stores();
      const review = largeReview();
      await reviews.create(review);
      const first = (await reviews.getForReviewers(review.id, ["mgr-1"]))!;
      const second = (await reviews.getForReviewers(review.id, ["mgr-2"]))!;
      const mark = (r: AccessReview) => ({ ...r, items: [{ ...r.items[0]!, decision }], revision: 2 });
      await reviews.update(mark(first.value), first.etag);
      await assert.rejects(reviews.update(mark(second.value), second.etag), ConcurrencyError);
      const whole = (await reviews.get(review.id))!.value;
      assert.deepEqual(
        whole.items.filter((i) => i.decision).map((i) => i.assignmentId),
        [first.value.items[0]!.assignmentId],
      );
    });

    it("finds the items a reviewer joined later (an escalation) when read for that reviewer", async () => {
      const { reviews } = ctx.stores();
      const review = largeReview();
      let etag = await reviews.create(review);
      const whole = (await reviews.get(review.id))!;
      // The fallback reviewer joins every item of managers 5 and 250, scattered over the review.
      const joined = (i: AccessReview["items"][number]) => ["mgr-5", "mgr-250"].includes(i.reviewers[0]!);
      const items = whole.value.items.map((i) =>
        joined(i) ? { ...i, reviewers: [...i.reviewers, "sec"] } : i,
      );
      etag = await reviews.update({ ...whole.value, items, revision: 2, escalatedAt: at(60) }, whole.etag);
      const part = (await reviews.getForReviewers(review.id, ["sec"]))!;
      assert.equal(part.etag, etag);
      assert.deepEqual(
        part.value.items.map((i) => i.assignmentId),
        review.items.filter(joined).map((i) => i.assignmentId),
      );
      assert.deepEqual(
        (await reviews.listActiveForReviewer("sec")).map((r) => r.id),
        [review.id],
      );
      // The fallback reviewer decides them all; the managers' own items stay as they were.
      const decided = part.value.items.map((i) => ({ ...i, decision: { ...decision, by: "sec" } }));
      await reviews.update({ ...part.value, items: decided, revision: 3 }, part.etag);
      assert.deepEqual(await reviews.listActiveForReviewer("sec"), []);
      const after = (await reviews.get(review.id))!.value;
      assert.equal(after.items.filter((i) => i.decision?.by === "sec").length, 20);
      assert.equal(after.escalatedAt, at(60));
    });

    it("lists a large review for a reviewer with their items only, and with those of whom they stand in for", async () => {
      const { reviews } = ctx.stores();
      const review = largeReview(2500, 250);
      await reviews.create(review);
      const ofReviewers = (...ids: string[]) =>
        review.items.filter((i) => ids.includes(i.reviewers[0]!)).map((i) => i.assignmentId);
      const [own] = await reviews.listActiveForReviewer("mgr-3");
      assert.deepEqual(
        own?.items.map((i) => i.assignmentId),
        ofReviewers("mgr-3"),
      );
      const [withDelegator] = await reviews.listActiveForReviewer("mgr-3", ["mgr-4"]);
      assert.deepEqual(
        withDelegator?.items.map((i) => i.assignmentId),
        ofReviewers("mgr-3", "mgr-4"),
      );
      assert.equal(withDelegator?.state, "inProgress");
    });

    it("lists a large review for a reviewer until their last item is decided, and completes it whole", async () => {
      const { reviews } = ctx.stores();
      const review = largeReview(2500, 250);
      await reviews.create(review);
      assert.deepEqual(
        (await reviews.listActiveForReviewer("mgr-3")).map((r) => r.id),
        [review.id],
      );
      const part = (await reviews.getForReviewers(review.id, ["mgr-3"]))!;
      const items = part.value.items.map((i) => ({ ...i, decision: { ...decision, by: "mgr-3" } }));
      await reviews.update({ ...part.value, items, revision: 2 }, part.etag);
      assert.deepEqual(await reviews.listActiveForReviewer("mgr-3"), []);
      assert.equal((await reviews.listActiveForReviewer("mgr-4")).length, 1);
      const whole = (await reviews.get(review.id))!;
      const applied = whole.value.items.map((i) => ({
        ...i,
        applied: i.decision ? ("removed" as const) : ("kept" as const),
      }));
      await reviews.update({ ...whole.value, items: applied, state: "completed", revision: 3 }, whole.etag);
      const done = (await reviews.get(review.id))!.value;
      assert.equal(done.state, "completed");
      assert.equal(done.items.filter((i) => i.applied === "removed").length, 10);
      assert.deepEqual(await reviews.listActiveForReviewer("mgr-4"), []);
    });
  });
}
