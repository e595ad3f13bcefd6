import assert from "node:assert/strict";
import type { TableStores } from "../../src/adapters/tables";
import { aRequest, at, pendingAt } from "./fixtures";
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

    it("sweeps past emptied hours without reading them again", async () => {
      const { due, counter } = tables();
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
  });
}
