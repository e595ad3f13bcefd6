import assert from "node:assert/strict";
import type { StoreContext } from "./harness";

const delegation = (approverId: string, delegateId: string, until = "2026-12-24T23:59:59.000Z") => ({
  approverId,
  delegateId,
  until,
  createdAt: "2026-11-23T10:00:00.000Z",
});

export function delegationContract(ctx: StoreContext): void {
  describe("delegations", () => {
    it("keeps one delegation per approver: a new one replaces it; remove returns what it removed", async () => {
      const { delegations } = ctx.stores();
      assert.equal(await delegations.get("maria"), undefined);
      await delegations.put(delegation("maria", "sam"));
      await delegations.put(delegation("maria", "sara", "2026-12-01T23:59:59.000Z"));
      assert.deepEqual(
        await delegations.get("maria"),
        delegation("maria", "sara", "2026-12-01T23:59:59.000Z"),
      );
      assert.deepEqual(
        await delegations.remove("maria"),
        delegation("maria", "sara", "2026-12-01T23:59:59.000Z"),
      );
      assert.equal(await delegations.remove("maria"), undefined);
      assert.deepEqual(await delegations.list(), []);
    });

    it("lists every delegation by approver, and those to one delegate (ids with / and #)", async () => {
      const { delegations } = ctx.stores();
      await delegations.put(delegation("u/2#b", "sam"));
      await delegations.put(delegation("maria", "sam"));
      await delegations.put(delegation("lola", "sara"));
      assert.deepEqual(
        (await delegations.list()).map((d) => d.approverId),
        ["lola", "maria", "u/2#b"],
      );
      assert.deepEqual((await delegations.listForDelegate("sam")).map((d) => d.approverId).sort(), [
        "maria",
        "u/2#b",
      ]);
      assert.deepEqual(await delegations.listForDelegate("nobody"), []);
    });

    it("keeps the journaled batch a delegation names, and drops it with a replacement that names none", async () => {
      const { delegations } = ctx.stores();
      await delegations.put({ ...delegation("maria", "sam"), effectBatchId: "eff_7" });
      assert.equal((await delegations.get("maria"))?.effectBatchId, "eff_7");
      assert.equal((await delegations.listForDelegate("sam"))[0]?.effectBatchId, "eff_7");
      await delegations.put(delegation("maria", "sara"));
      assert.deepEqual(await delegations.get("maria"), delegation("maria", "sara"));
    });
  });

  describe("used download links", () => {
    it("claims a link id once, also when two claims race", async () => {
      const { usedLinks } = ctx.stores();
      assert.equal(await usedLinks.claim("lnk_1", "2026-11-23T10:10:00.000Z"), true);
      assert.equal(await usedLinks.claim("lnk_1", "2026-11-23T10:10:00.000Z"), false);
      const raced = await Promise.all(
        [1, 2, 3].map(() => usedLinks.claim("lnk/2", "2026-11-23T10:10:00.000Z")),
      );
      assert.equal(raced.filter(Boolean).length, 1);
    });
  });
}
