import assert from "node:assert/strict";
import type { TableStores } from "../../src/adapters/tables";
import type { DueItem } from "../../src/ports/stores";
import { AlreadyExistsError } from "../../src/ports/versioned";
import { aRequest, anAssignment, anAuditEntry, at, pendingAt } from "./fixtures";
import { largeReview } from "./large-reviews.contract";

const due1 = (minutes: number, subjectId: string): DueItem => ({
  dueAt: at(minutes),
  kind: "expiry",
  subjectId,
  discriminator: "0",
});
import type { StoreContext } from "./harness";

/** What only the table stores have: operation counts a benchmark reports, and index upkeep. */
export function tableOnlyContract(ctx: StoreContext): void {
  const tables = (): TableStores => ctx.tables()!;

  describe("operation counting and index upkeep", () => {
    it("writes an entry about a person's request in two transactions: the person's partition and the day", async () => {
      const { audit, counter } = tables();
      await audit.append([anAuditEntry({ at: at(0) })]); // the day's head is known from here on
      counter.reset();
      await audit.append([anAuditEntry({ subject: "request:r-bob", targetUserId: "user-bob", at: at(1) })]);
      assert.equal(counter.operations, 2);
      counter.reset();
      await audit.append([anAuditEntry({ subject: "package:pkg-1", targetUserId: "user-bob", at: at(2) })]);
      assert.equal(counter.operations, 3, "the package's partition, the person's, the day");
    });

    it("reads a request's trail with the request and two partitions, not day by day", async () => {
      const { audit, requests, counter } = tables();
      const request = aRequest({ targetUserId: "user-bob" });
      await requests.create(request);
      const day = 24 * 60;
      const entries = [-2 * day, -day, 0].map((m) =>
        anAuditEntry({ subject: `request:${request.id}`, targetUserId: "user-bob", at: at(m) }),
      );
      await audit.append(entries);
      counter.reset();
      assert.equal((await audit.query({ subject: `request:${request.id}` })).length, 3);
      assert.equal(counter.operations, 3);
    });

    it("counts one operation per point read and two for an update that adds a lone approver", async () => {
      const { requests, counter } = tables();
      const request = aRequest();
      const etag = await requests.create(request);
      counter.reset();
      const read = await requests.get(request.id);
      assert.equal(counter.operations, 1);
      counter.reset();
      await requests.update(pendingAt(read!.value, [["user-a"]], 0), etag);
      // the approver's row, then the compare-and-swap: the previous index rows were known from the read
      assert.equal(counter.operations, 2);
    });

    it("prunes an approver row a lost race left behind once the approver lists", async () => {
      const { requests, counter } = tables();
      const request = pendingAt(aRequest(), [["user-a"]], 0);
      const etag = await requests.create(request);
      const won = await requests.update({ ...request, revision: 2 }, etag);
      await assert.rejects(requests.update(pendingAt(request, [["user-a"], ["user-late"]], 1), etag));
      await new Promise((r) => setTimeout(r, 5)); // the next write is later than the stale row
      await requests.update({ ...request, revision: 3 }, won);
      assert.deepEqual(await requests.listPendingForApprover("user-late"), []);
      counter.reset();
      assert.deepEqual(await requests.listPendingForApprover("user-late"), []);
      assert.equal(counter.operations, 1, "the stale row is gone: one empty query");
    });

    it("lists due work with one range query that returns only the due rows, not claimed ones", async () => {
      const { due, counter } = tables();
      await due.schedule([
        due1(-30 * 24 * 60, "month-old"),
        due1(-120, "two-hours"),
        due1(-5, "claimed"),
        due1(10, "later-this-hour"),
        due1(5 * 24 * 60, "next-week"),
      ]);
      await due.listDue(at(0), 10); // the first look also checks the previous layout: one query
      const claimed = (await due.listDue(at(0), 10)).find((i) => i.value.subjectId === "claimed");
      await due.claim(claimed!, "sweeper", at(30));
      counter.reset();
      assert.deepEqual(
        (await due.listDue(at(0), 10)).map((i) => i.value.subjectId),
        ["month-old", "two-hours"],
      );
      assert.equal(counter.operations, 1, "one query");
    });

    it("writes the items of one call in one transaction, whatever their hours", async () => {
      const { due, counter } = tables();
      counter.reset();
      await due.schedule([due1(30, "a"), due1(24 * 60, "b"), due1(14 * 24 * 60, "c")]);
      assert.equal(counter.operations, 1, "one transaction");
      assert.equal((await due.listDue(at(15 * 24 * 60), 10)).length, 3);
    });

    it("writes the rows concurrent callers send to one partition in shared transactions", async () => {
      const { audit, counter } = tables();
      await audit.append([anAuditEntry({ at: at(0) })]); // the day is registered
      counter.reset();
      const entries = Array.from({ length: 12 }, (_, i) =>
        anAuditEntry({ subject: `package:p${i}`, at: at(i) }),
      );
      await Promise.all(entries.map((entry) => audit.append([entry])));
      // 12 subject partitions, one each; the 12 rows of the day partition in fewer writes.
      assert.ok(counter.operations < 24, `${counter.operations} operations`);
      assert.equal((await audit.query({ from: at(0), to: at(12) })).length, 13);
    });

    it("removes the index rows of a create that lost to an existing aggregate", async () => {
      const { assignments, counter } = tables();
      const existing = anAssignment({ userId: "user-kim", createdAt: at(0) });
      await assignments.create(existing);
      await assert.rejects(assignments.create({ ...existing, createdAt: at(5) }), AlreadyExistsError);
      counter.reset();
      assert.deepEqual(
        (await assignments.listForUser("user-kim")).map((a) => a.createdAt),
        [at(0)],
      );
      assert.equal(counter.operations, 2, "one index row left: the query and one read");
    });

    it("writes an assignment's index rows ahead of its create, and takes them back when it does not come", async () => {
      const { assignments, counter } = tables();
      const kept = anAssignment({ userId: "user-lea", packageId: "pkg-kept" });
      await assignments.prepare(kept);
      counter.reset();
      await assignments.create(kept);
      assert.equal(counter.operations, 1, "the entity alone");
      assert.deepEqual(
        (await assignments.listForPackage("pkg-kept")).map((a) => a.id),
        [kept.id],
      );

      const dropped = anAssignment({ userId: "user-max", packageId: "pkg-dropped" });
      await assignments.prepare(dropped);
      await assignments.abandon(dropped);
      counter.reset();
      assert.deepEqual(await assignments.listForUser("user-max"), []);
      assert.deepEqual(await assignments.listForPackage("pkg-dropped"), []);
      assert.equal(counter.operations, 2, "no row left: two empty queries");
    });

    it("reads a review once for the lists of a person and of whom they stand in for, listed side by side", async () => {
      const { reviews, counter } = tables();
      const review = largeReview(300, 30);
      await reviews.create(review);
      counter.reset();
      await reviews.listActiveForReviewer("mgr-3", ["mgr-4"]);
      const alone = counter.operations;
      counter.reset();
      const [own, delegated] = await Promise.all([
        reviews.listActiveForReviewer("mgr-3", ["mgr-4"]),
        reviews.listActiveForReviewer("mgr-4", ["mgr-3"]),
      ]);
      assert.equal(counter.operations, alone + 1, "one more query (the other partition), no second read");
      assert.deepEqual(own, delegated);
      assert.equal(own?.[0]?.items.length, 20, "both reviewers' items");
      counter.reset();
      await reviews.listActiveForReviewer("mgr-3", ["mgr-4"]);
      assert.equal(counter.operations, alone, "a later list reads again");
    });
  });
}
