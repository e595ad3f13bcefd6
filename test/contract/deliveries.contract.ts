import assert from "node:assert/strict";
import type { StoreContext } from "./harness";

export function deliveryLogContract(ctx: StoreContext): void {
  describe("delivery log", () => {
    it("keeps what became of each message of a batch: sent, undeliverable, superseded", async () => {
      const { deliveries } = ctx.stores();
      const batch = "req_1/3#a";
      const at = "2026-12-01T10:00:00.000Z";
      await deliveries.record(batch, {
        key: "0|user|ana",
        status: "sent",
        activityId: "act-1",
        conversationId: "a:ana",
        at,
      });
      await deliveries.record(batch, { key: "1|user|sam", status: "undeliverable", reason: "gone", at });
      await deliveries.record(batch, { key: "2|user|ana", status: "superseded", at });
      await deliveries.record("other", { key: "0|user|ana", status: "sent", at });
      const records = await deliveries.listBatch(batch);
      assert.deepEqual(
        records.sort((a, b) => a.key.localeCompare(b.key)),
        [
          { key: "0|user|ana", status: "sent", activityId: "act-1", conversationId: "a:ana", at },
          { key: "1|user|sam", status: "undeliverable", reason: "gone", at },
          { key: "2|user|ana", status: "superseded", at },
        ],
      );
    });
  });
}
