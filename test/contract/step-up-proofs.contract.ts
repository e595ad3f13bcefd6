import assert from "node:assert/strict";
import type { StepUpProof } from "../../src/domain/step-up/step-up";
import type { StoreContext } from "./harness";

const proof = (userId: string, authTime: string): StepUpProof => ({
  userId,
  authTime,
  method: "amr:mfa",
  provedAt: authTime,
  expiresAt: "2026-12-01T10:10:00.000Z",
});

export function stepUpProofContract(ctx: StoreContext): void {
  describe("step-up proofs", () => {
    it("keeps each approver's latest sign-in: the next one replaces it (ids with / and #)", async () => {
      const { stepUpProofs } = ctx.stores();
      assert.equal(await stepUpProofs.get("u/2#b"), undefined);
      await stepUpProofs.save(proof("u/2#b", "2026-12-01T10:00:00.000Z"));
      await stepUpProofs.save(proof("maria", "2026-12-01T09:00:00.000Z"));
      await stepUpProofs.save({ ...proof("u/2#b", "2026-12-01T10:05:00.000Z"), method: "acrs:c1" });
      assert.deepEqual(await stepUpProofs.get("u/2#b"), {
        ...proof("u/2#b", "2026-12-01T10:05:00.000Z"),
        method: "acrs:c1",
      });
      assert.deepEqual(await stepUpProofs.get("maria"), proof("maria", "2026-12-01T09:00:00.000Z"));
    });

    it("hands out copies: changing what get returned changes nothing stored", async () => {
      const { stepUpProofs } = ctx.stores();
      await stepUpProofs.save(proof("sam", "2026-12-01T10:00:00.000Z"));
      const read = (await stepUpProofs.get("sam"))!;
      read.expiresAt = "2099-01-01T00:00:00.000Z";
      assert.equal((await stepUpProofs.get("sam"))!.expiresAt, "2026-12-01T10:10:00.000Z");
    });
  });
}
