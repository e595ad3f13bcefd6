import assert from "node:assert/strict";
import type { TableStores } from "../../src/adapters/tables";
import { aRequest, at, pendingAt } from "./fixtures";
import type { StoreContext } from "./harness";

const TEAM = ["user-sec1", "user-sec2", "user-sec3"];

/** A stage of several approvers (a team): every member lists it, in both stores alike. */
export function approverGroupContract(ctx: StoreContext): void {
  describe("requests pending with a team of approvers", () => {
    it("lists a team's request for each member, beside their own, oldest first and once each", async () => {
      const { requests } = ctx.stores();
      const own1 = pendingAt(aRequest({ createdAt: at(0) }), [["user-sec1"]], 0);
      const team = pendingAt(aRequest({ createdAt: at(1) }), [TEAM], 0);
      const own2 = pendingAt(aRequest({ createdAt: at(2) }), [["user-sec1"]], 0);
      for (const r of [own2, team, own1]) await requests.create(r);
      assert.deepEqual(
        (await requests.listPendingForApprover("user-sec1")).map((r) => r.id),
        [own1.id, team.id, own2.id],
      );
      assert.deepEqual(
        (await requests.listPendingForApprover("user-sec3")).map((r) => r.id),
        [team.id],
      );
      assert.deepEqual(await requests.listPendingForApprover("user-other"), []);
    });

    it("follows the team's stage: escalation adds people, a decision moves the request on", async () => {
      const { requests } = ctx.stores();
      const request = aRequest();
      let etag = await requests.create(request);
      const atTeam = pendingAt(request, [["user-mgr"], TEAM], 1);
      etag = await requests.update(atTeam, etag);
      const escalated = {
        ...atTeam,
        stages: atTeam.stages.map((s, i) =>
          i === 1 ? { ...s, escalated: true, escalationApprovers: ["user-esc"] } : s,
        ),
        revision: atTeam.revision + 1,
      };
      etag = await requests.update(escalated, etag);
      for (const person of [...TEAM, "user-esc"])
        assert.deepEqual(
          (await requests.listPendingForApprover(person)).map((r) => r.revision),
          [escalated.revision],
          person,
        );
      await requests.update({ ...escalated, state: "approved", currentStage: undefined, revision: 9 }, etag);
      for (const person of [...TEAM, "user-esc", "user-mgr"])
        assert.deepEqual(await requests.listPendingForApprover(person), [], person);
    });
  });
}

/** How the table stores keep a team's stage: one row per request, notes per member written once. */
export function approverGroupRowsContract(ctx: StoreContext): void {
  const tables = (): TableStores => ctx.tables()!;

  describe("approver group rows and prepared creates", () => {
    it("writes a team's members' notes once per process, then one row per request", async () => {
      const { requests, counter } = tables();
      const first = aRequest({ createdAt: at(0) });
      const firstEtag = await requests.create(first);
      counter.reset();
      await requests.update(pendingAt(first, [TEAM], 0), firstEtag);
      assert.equal(counter.operations, 5, "three members' notes, the group's row, the compare-and-swap");

      const second = aRequest({ createdAt: at(1) });
      const secondEtag = await requests.create(second);
      counter.reset();
      await requests.update(pendingAt(second, [[...TEAM].reverse()], 0), secondEtag);
      assert.equal(counter.operations, 2, "the same team in another order: the group's row and the CAS");
    });

    it("writes a prepared create's index rows ahead, and takes them back when the create does not come", async () => {
      const { requests, counter } = tables();
      const kept = pendingAt(aRequest({ requesterId: "user-kept", targetUserId: "user-kept" }), [TEAM], 0);
      await requests.prepare(kept);
      counter.reset();
      await requests.create(kept);
      assert.equal(counter.operations, 1, "the entity alone");
      assert.deepEqual(
        (await requests.listPendingForApprover("user-sec1")).map((r) => r.id),
        [kept.id],
      );

      const dropped = aRequest({ requesterId: "user-dropped", targetUserId: "user-dropped" });
      await requests.prepare(dropped);
      await requests.abandon(dropped);
      counter.reset();
      assert.deepEqual(await requests.listForUser("user-dropped"), []);
      assert.equal(counter.operations, 1, "no row left: one empty query");
    });

    it("lets another instance list the team's requests from the notes in storage", async () => {
      const { requests } = tables();
      const request = pendingAt(aRequest(), [TEAM], 0);
      await requests.create(request);
      const other = ctx.otherInstance();
      other.counter.reset();
      assert.deepEqual(
        (await other.requests.listPendingForApprover("user-sec2")).map((r) => r.id),
        [request.id],
      );
      assert.equal(other.counter.operations, 3, "the member's partition, the group's, the request");
    });
  });
}
