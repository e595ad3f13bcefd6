import assert from "node:assert/strict";
import type { DueItem } from "../../src/ports/stores";
import { at } from "./fixtures";
import type { StoreContext } from "./harness";

const due = (minutes: number, subjectId: string, kind: DueItem["kind"] = "expiry"): DueItem => ({
  dueAt: at(minutes),
  kind,
  subjectId,
  discriminator: "0",
});

export function dueWorkContract(ctx: StoreContext): void {
  describe("due-work index", () => {
    it("keeps a payload larger than one table property whole (a large review's journaled batch), claims included", async () => {
      const index = ctx.stores().due;
      // Over 90,000 characters (three properties), astral and accented characters throughout.
      const payload = JSON.stringify({
        reviewers: Array.from({ length: 2_400 }, (_, i) => `reviewer-${i}-\u{1F600}-ü-${"x".repeat(20)}`),
      });
      assert.ok(payload.length > 90_000);
      const item = { ...due(5, "big"), payload };
      await index.schedule([item]);
      const [listed] = await index.listDue(at(5), 10);
      assert.equal(listed?.value.payload, payload);
      const claimed = await index.claim(listed!, "sweeper", at(60));
      assert.equal(claimed?.value.payload, payload);
      assert.equal((await index.listDue(at(5), 10)).length, 0, "claimed");
      assert.equal((await index.listDue(at(61), 10))[0]?.value.payload, payload);
    });

    it("lists only items due by the given time, oldest first, up to the limit", async () => {
      const index = ctx.stores().due;
      await index.schedule([due(90, "c"), due(10, "a"), due(3 * 24 * 60, "later"), due(30, "b")]);
      const listed = await index.listDue(at(90), 10);
      assert.deepEqual(
        listed.map((i) => i.value.subjectId),
        ["a", "b", "c"],
      );
      assert.deepEqual(
        (await index.listDue(at(90), 2)).map((i) => i.value.subjectId),
        ["a", "b"],
      );
      assert.deepEqual(await index.listDue(at(5), 10), []);
    });

    it("finds items across days and in past hours scheduled after a sweep", async () => {
      const index = ctx.stores().due;
      await index.schedule([due(-2 * 24 * 60, "two-days-ago"), due(0, "now")]);
      assert.equal((await index.listDue(at(0), 10)).length, 2);
      await index.schedule([due(-24 * 60, "yesterday")]);
      const listed = await index.listDue(at(0), 10);
      assert.deepEqual(
        listed.map((i) => i.value.subjectId),
        ["two-days-ago", "yesterday", "now"],
      );
    });

    it("stores an item scheduled twice once", async () => {
      const index = ctx.stores().due;
      await index.schedule([due(10, "a"), due(10, "a")]);
      await index.schedule([due(10, "a")]);
      assert.equal((await index.listDue(at(60), 10)).length, 1);
    });

    it("lets only one of two concurrent claimers take an item", async () => {
      const index = ctx.stores().due;
      await index.schedule([due(10, "a")]);
      const [item] = await index.listDue(at(60), 10);
      const results = await Promise.all([
        index.claim(item!, "sweeper-1", at(70)),
        index.claim(item!, "sweeper-2", at(70)),
      ]);
      assert.equal(results.filter((r) => r !== undefined).length, 1);
    });

    it("hides a claimed item until the claim expires, then lets another sweeper claim it", async () => {
      const index = ctx.stores().due;
      await index.schedule([due(10, "a")]);
      const [item] = await index.listDue(at(20), 10);
      const claimed = await index.claim(item!, "sweeper-1", at(25));
      assert.ok(claimed);
      assert.deepEqual(await index.listDue(at(24), 10), []);
      const [expired] = await index.listDue(at(25), 10);
      assert.ok(expired);
      assert.ok(await index.claim(expired, "sweeper-2", at(40)));
      assert.equal(await index.claim(claimed, "sweeper-1", at(50)), undefined);
    });

    it("removes a completed item, but not one another sweeper has claimed since", async () => {
      const index = ctx.stores().due;
      await index.schedule([due(10, "done"), due(10, "taken-over")]);
      const [done, takenOver] = await index.listDue(at(20), 10);
      const mine = await index.claim(done!, "sweeper-1", at(25));
      await index.complete(mine!);
      const stale = await index.claim(takenOver!, "sweeper-1", at(25));
      const [again] = await index.listDue(at(30), 10);
      await index.claim(again!, "sweeper-2", at(40));
      await index.complete(stale!);
      assert.deepEqual(
        (await index.listDue(at(40), 10)).map((i) => i.value.subjectId),
        ["taken-over"],
      );
    });

    it("lists an item due exactly at the given time, not one due a moment later in that hour", async () => {
      const index = ctx.stores().due;
      const exact = due(20, "exact");
      const later: DueItem = { ...due(20, "later"), dueAt: new Date(Date.parse(at(20)) + 1).toISOString() };
      await index.schedule([later, exact, due(50, "same-hour")]);
      assert.deepEqual(
        (await index.listDue(at(20), 10)).map((i) => i.value.subjectId),
        ["exact"],
      );
    });

    it("returns unclaimed items behind claimed ones, up to the limit", async () => {
      const index = ctx.stores().due;
      await index.schedule([due(1, "a"), due(2, "b"), due(3, "c"), due(4, "d")]);
      const [a, b] = await index.listDue(at(10), 2);
      await index.claim(a!, "sweeper", at(30));
      await index.claim(b!, "sweeper", at(30));
      assert.deepEqual(
        (await index.listDue(at(10), 2)).map((i) => i.value.subjectId),
        ["c", "d"],
      );
    });

    it("keeps ids with reserved characters intact", async () => {
      const index = ctx.stores().due;
      const odd: DueItem = {
        dueAt: at(1),
        kind: "reviewEnd",
        subjectId: "a/b#c?d\\e|f%g",
        discriminator: "24/7",
      };
      await index.schedule([odd]);
      const [item] = await index.listDue(at(2), 10);
      assert.deepEqual(item?.value, odd);
      await index.complete(item!);
      assert.deepEqual(await index.listDue(at(2), 10), []);
    });
  });
}
