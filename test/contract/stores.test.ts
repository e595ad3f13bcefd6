import assert from "node:assert/strict";
import { assignmentAndReviewContract } from "./assignments-reviews.contract";
import { conversationContract, governanceContract } from "./conversations-governance.contract";
import { dueWorkContract } from "./due-work.contract";
import { aRequest, pendingAt } from "./fixtures";
import { runContract, type StoreContext } from "./harness";
import { auditContract, leaseContract } from "./lease-audit.contract";
import { requestContract } from "./requests.contract";

/** What only the table stores have: an operation count a benchmark can report. */
function operationCounting(ctx: StoreContext): void {
  describe("operation counting", () => {
    it("counts one storage operation per point read and a handful per request update", async function () {
      const tables = ctx.tables();
      if (!tables) this.skip();
      const request = aRequest();
      const etag = await tables.requests.create(request);
      tables.counter.reset();
      const read = await tables.requests.get(request.id);
      assert.equal(tables.counter.operations, 1);
      tables.counter.reset();
      await tables.requests.update(pendingAt(read!.value, [["user-a", "user-b"]], 0), etag);
      // two new approver rows, then the compare-and-swap; the previous state came from the read
      assert.equal(tables.counter.operations, 3);
    });
  });
}

describe("store contract", () => {
  runContract([
    requestContract,
    assignmentAndReviewContract,
    dueWorkContract,
    leaseContract,
    auditContract,
    conversationContract,
    governanceContract,
    operationCounting,
  ]);
});
