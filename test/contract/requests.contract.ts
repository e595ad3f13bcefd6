import assert from "node:assert/strict";
import { AlreadyExistsError, ConcurrencyError } from "../../src/ports/versioned";
import { StoredValueTooLargeError } from "../../src/adapters/memory";
import { aRequest, at, pendingAt, stage, uid } from "./fixtures";
import type { StoreContext } from "./harness";

export function requestContract(ctx: StoreContext): void {
  describe("requests", () => {
    it("returns nothing for an unknown request", async () => {
      assert.equal(await ctx.stores().requests.get("req_missing"), undefined);
    });

    it("reads back a created request with the ETag the create returned", async () => {
      const request = aRequest();
      const etag = await ctx.stores().requests.create(request);
      const read = await ctx.stores().requests.get(request.id);
      assert.deepEqual(read, { value: request, etag });
    });

    it("refuses to create a request whose id is taken", async () => {
      const request = aRequest();
      await ctx.stores().requests.create(request);
      await assert.rejects(
        ctx.stores().requests.create({ ...request, justification: "other" }),
        AlreadyExistsError,
      );
      assert.equal((await ctx.stores().requests.get(request.id))?.value.justification, request.justification);
    });

    it("detects a lost race: the second update at the same ETag fails and the winner stays", async () => {
      const { requests } = ctx.stores();
      const request = aRequest();
      const etag = await requests.create(request);
      const winner = await requests.update({ ...request, justification: "first", revision: 2 }, etag);
      assert.notEqual(winner, etag);
      await assert.rejects(
        requests.update({ ...request, justification: "second", revision: 2 }, etag),
        ConcurrencyError,
      );
      const read = await requests.get(request.id);
      assert.equal(read?.value.justification, "first");
      assert.equal(read?.etag, winner);
    });

    it("treats an update of a request that does not exist as a conflict", async () => {
      const { requests } = ctx.stores();
      const etag = await requests.create(aRequest());
      await assert.rejects(requests.update(aRequest(), etag), ConcurrencyError);
    });

    it("never shares objects with the caller", async () => {
      const { requests } = ctx.stores();
      const request = aRequest({ answers: { costCenter: "42" } });
      await requests.create(request);
      request.answers.costCenter = "changed";
      const read = await requests.get(request.id);
      assert.equal(read?.value.answers.costCenter, "42");
      read!.value.answers.costCenter = "mutated";
      assert.equal((await requests.get(request.id))?.value.answers.costCenter, "42");
    });

    it("lists a user's requests as requester or target, newest first, up to the limit", async () => {
      const { requests } = ctx.stores();
      const old = aRequest({ targetUserId: "user-bob", createdAt: at(1) });
      const mid = aRequest({
        requesterId: "user-mgr",
        targetUserId: "user-bob",
        type: "onBehalfAdd",
        createdAt: at(2),
      });
      const newest = aRequest({ requesterId: "user-bob", targetUserId: "user-bob", createdAt: at(3) });
      const other = aRequest({ requesterId: "user-eve", targetUserId: "user-eve", createdAt: at(4) });
      for (const r of [mid, other, old, newest]) await requests.create(r);
      assert.deepEqual(
        (await requests.listForUser("user-bob")).map((r) => r.id),
        [newest.id, mid.id, old.id],
      );
      assert.deepEqual(
        (await requests.listForUser("user-mgr")).map((r) => r.id),
        [mid.id],
      );
      assert.deepEqual(
        (await requests.listForUser("user-bob", 1)).map((r) => r.id),
        [newest.id],
      );
    });

    it("lists pending requests for the current stage's approvers only, following stage changes", async () => {
      const { requests } = ctx.stores();
      const request = aRequest();
      let etag = await requests.create(request);
      const atStage1 = pendingAt(request, [["user-a"], ["user-b"]], 0);
      etag = await requests.update(atStage1, etag);
      assert.deepEqual(
        (await requests.listPendingForApprover("user-a")).map((r) => r.id),
        [request.id],
      );
      assert.deepEqual(await requests.listPendingForApprover("user-b"), []);

      const atStage2 = { ...pendingAt(request, [["user-a"], ["user-b"]], 1), revision: 3 };
      etag = await requests.update(atStage2, etag);
      assert.deepEqual(await requests.listPendingForApprover("user-a"), []);
      assert.deepEqual(
        (await requests.listPendingForApprover("user-b")).map((r) => r.revision),
        [3],
      );

      await requests.update({ ...atStage2, state: "approved", currentStage: undefined, revision: 4 }, etag);
      assert.deepEqual(await requests.listPendingForApprover("user-b"), []);
    });

    it("lists a package's open requests oldest first, and drops one once it is no longer open", async () => {
      const { requests } = ctx.stores();
      const packageId = uid("pkg");
      const later = pendingAt(aRequest({ packageId, createdAt: at(5) }), [["user-a"]], 0);
      const earlier = aRequest({ packageId, createdAt: at(1) });
      const elsewhere = aRequest({ packageId: uid("pkg") });
      const laterEtag = await requests.create(later);
      await requests.create(earlier);
      await requests.create(elsewhere);
      assert.deepEqual(
        (await requests.listOpenForPackage(packageId)).map((r) => r.id),
        [earlier.id, later.id],
      );
      await requests.update({ ...later, state: "denied", currentStage: undefined, revision: 3 }, laterEtag);
      assert.deepEqual(
        (await requests.listOpenForPackage(packageId)).map((r) => r.id),
        [earlier.id],
      );
    });

    it("lists pending requests oldest first", async () => {
      const { requests } = ctx.stores();
      const later = pendingAt(aRequest({ createdAt: at(5) }), [["user-a"]], 0);
      const earlier = pendingAt(aRequest({ createdAt: at(1) }), [["user-a"]], 0);
      await requests.create(later);
      await requests.create(earlier);
      assert.deepEqual(
        (await requests.listPendingForApprover("user-a")).map((r) => r.id),
        [earlier.id, later.id],
      );
    });

    it("lists a request for its escalation approvers once the stage has escalated", async () => {
      const { requests } = ctx.stores();
      const request = pendingAt(aRequest(), [["user-a"]], 0);
      request.stages[0] = stage(0, ["user-a"], { escalationApprovers: ["user-esc"] });
      const etag = await requests.create(request);
      assert.deepEqual(await requests.listPendingForApprover("user-esc"), []);
      request.stages[0] = { ...request.stages[0]!, escalated: true };
      await requests.update(request, etag);
      assert.deepEqual(
        (await requests.listPendingForApprover("user-esc")).map((r) => r.id),
        [request.id],
      );
      assert.equal((await requests.listPendingForApprover("user-a")).length, 1);
    });

    it("does not list a request for an approver named only by an update that lost the race", async () => {
      const { requests } = ctx.stores();
      const request = pendingAt(aRequest(), [["user-a"]], 0);
      const etag = await requests.create(request);
      await requests.update({ ...request, revision: 5 }, etag);
      const loser = pendingAt(request, [["user-a"], ["user-late"]], 1);
      await assert.rejects(requests.update(loser, etag), ConcurrencyError);
      assert.deepEqual(await requests.listPendingForApprover("user-late"), []);
      assert.equal((await requests.listPendingForApprover("user-a")).length, 1);
    });

    it("keeps ids and user ids containing / \\ # ? % | intact in every query", async () => {
      const { requests } = ctx.stores();
      const odd = "user/x\\y#z?w%|v";
      const request = pendingAt(
        aRequest({ id: "req/1#a?b%2F|c", targetUserId: odd, requesterId: odd }),
        [[odd]],
        0,
      );
      await requests.create(request);
      assert.equal((await requests.get(request.id))?.value.id, request.id);
      assert.equal(await requests.get("req/1#a?b/|c"), undefined);
      assert.deepEqual(
        (await requests.listForUser(odd)).map((r) => r.id),
        [request.id],
      );
      assert.deepEqual(
        (await requests.listPendingForApprover(odd)).map((r) => r.id),
        [request.id],
      );
      assert.deepEqual(await requests.listForUser("user/x"), []);
    });

    it("stores a request larger than one 64 KiB property and refuses one too large for an entity", async () => {
      const { requests } = ctx.stores();
      const big = aRequest({ justification: "x".repeat(70_001) + "é😀".repeat(5_000) + "ü".repeat(9_999) });
      await requests.create(big);
      assert.equal((await requests.get(big.id))?.value.justification, big.justification);
      const huge = aRequest({ justification: "x".repeat(600_000) });
      await assert.rejects(requests.create(huge), StoredValueTooLargeError);
      assert.equal(await requests.get(huge.id), undefined);
    });
  });
}
