import assert from "node:assert/strict";
import { AnswersFirst } from "../../src/app/notify/answers-first";
import { aRequest, pendingAt } from "./fixtures";
import { openTurn } from "../support/open-turn";
import type { StoreContext } from "./harness";

const settle = () => new Promise((r) => setTimeout(r, 100));

/** Index rows an update drops are deleted after the answers being written, never after a rewrite. */
export function laterDropsContract(ctx: StoreContext): void {
  describe("dropped index rows after the answers", () => {
    it("deletes a dropped approver row once no answer is being written", async () => {
      const gate = new AnswersFirst(60_000);
      const { requests, counter } = ctx.otherInstance({ afterAnswers: gate });
      const request = pendingAt(aRequest(), [["user-a"], ["user-b"]], 0);
      const etag = await requests.create(request);
      const turn = openTurn(gate);
      await requests.update({ ...pendingAt(request, [["user-a"], ["user-b"]], 1), revision: 3 }, etag);
      counter.reset();
      await settle();
      assert.equal(counter.operations, 0, "nothing deleted while the answer is being written");
      turn.end();
      await turn.done;
      await settle();
      assert.equal(counter.operations, 1, "then the manager's row is deleted");
      counter.reset();
      assert.deepEqual(await requests.listPendingForApprover("user-a"), []);
      assert.equal(counter.operations, 1, "no row left: one empty query");
    });

    it("keeps a row the next update lists again before the drop started", async () => {
      const gate = new AnswersFirst(60_000);
      const { requests } = ctx.otherInstance({ afterAnswers: gate });
      const request = pendingAt(aRequest(), [["user-a"], ["user-b"]], 0);
      let etag = await requests.create(request);
      const turn = openTurn(gate);
      etag = await requests.update({ ...pendingAt(request, [["user-a"], ["user-b"]], 1), revision: 3 }, etag);
      // Sent back to stage 1 (the same approver) while the drop of user-a's row still waits.
      await requests.update({ ...pendingAt(request, [["user-a"], ["user-b"]], 0), revision: 4 }, etag);
      turn.end();
      await turn.done;
      await settle();
      assert.deepEqual(
        (await requests.listPendingForApprover("user-a")).map((r) => r.revision),
        [4],
      );
      assert.deepEqual(await requests.listPendingForApprover("user-b"), []);
    });

    it("keeps a row the next update lists again after the drop started (the writer keeps their order)", async () => {
      const { requests } = ctx.otherInstance({ afterAnswers: new AnswersFirst(60_000) });
      const request = pendingAt(aRequest(), [["user-a"], ["user-b"]], 0);
      let etag = await requests.create(request);
      etag = await requests.update({ ...pendingAt(request, [["user-a"], ["user-b"]], 1), revision: 3 }, etag);
      // No answer is being written: the drop of user-a's row starts now and waits in its queue.
      await new Promise((r) => setImmediate(r));
      await requests.update({ ...pendingAt(request, [["user-a"], ["user-b"]], 0), revision: 4 }, etag);
      await settle();
      assert.deepEqual(
        (await requests.listPendingForApprover("user-a")).map((r) => r.revision),
        [4],
      );
    });
  });
}
