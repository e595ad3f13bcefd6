import assert from "node:assert/strict";
import type { TableStores } from "../../src/adapters/tables";
import type { DueItem } from "../../src/ports/stores";
import { AlreadyExistsError } from "../../src/ports/versioned";
import { aRequest, anAssignment, anAuditEntry, at, pendingAt } from "./fixtures";

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
    it("counts one operation per point read and three for an update that adds two approvers", async () => {
      const { requests, counter } = tables();
      const request = aRequest();
      const etag = await requests.create(request);
      counter.reset();
      const read = await requests.get(request.id);
      assert.equal(counter.operations, 1);
      counter.reset();
      await requests.update(pendingAt(read!.value, [["user-a", "user-b"]], 0), etag);
      // two approver rows, then the compare-and-swap: the previous index rows were known from the read
      assert.equal(counter.operations, 3);
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

    it("sweeps past emptied hours without reading them again, once their grace has passed", async () => {
      const { due, counter } = ctx.otherInstance({ due: { bucketGraceMs: 0 } });
      await due.schedule([
        { dueAt: at(-30 * 24 * 60), kind: "expiry", subjectId: "asg-old", discriminator: "0" },
      ]);
      const [old] = await due.listDue(at(0), 10);
      await due.complete(old!);
      await due.listDue(at(0), 10);
      counter.reset();
      assert.deepEqual(await due.listDue(at(0), 10), []);
      assert.equal(counter.operations, 1, "only the bucket directory is read");
    });

    it("touches an hour's bucket row once while it remembers it, and batches one hour's items", async () => {
      const { due, counter } = tables();
      counter.reset();
      await due.schedule([due1(30, "a"), due1(40, "b")]);
      assert.equal(counter.operations, 2, "one transaction for the hour, one bucket row");
      counter.reset();
      await due.schedule([due1(50, "c")]);
      assert.equal(counter.operations, 1, "the hour is known: the item only");
      assert.equal((await due.listDue(at(59), 10)).length, 3);
    });

    it("keeps a recently touched empty hour listed, so another instance's memo stays true", async () => {
      const scheduler = tables().due;
      const sweeper = ctx.otherInstance().due;
      await scheduler.schedule([due1(-120, "first")]);
      const [first] = await sweeper.listDue(at(0), 10);
      await sweeper.complete((await sweeper.claim(first!, "sweeper", at(5)))!);
      assert.deepEqual(await sweeper.listDue(at(0), 10), [], "the hour is empty, but stays listed");
      await scheduler.schedule([due1(-110, "second")]); // the scheduler trusts its memo: no touch
      assert.deepEqual(
        (await sweeper.listDue(at(0), 10)).map((i) => i.value.subjectId),
        ["second"],
      );
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
  });
}
