import assert from "node:assert/strict";
import { rateShares } from "../../../bench/rate-limited-connector";

describe("bench: rate shares of the fan-out and review cards", () => {
  it("judges sends against Teams' 50 a second, counting the last window whole", () => {
    // 500 sends, first to last 9 s: 500 ÷ 10 s = 50 a second, all of the allowed rate.
    const shares = rateShares({ accepted: 500, firstAt: 1_000, lastAt: 10_000 });
    assert.equal(shares.allowed, 50);
    assert.equal(shares.rate, 50);
    assert.equal(shares.share, 1);
  });

  it("gives the best a pacer at 48 a second can score: a short last window lowers it", () => {
    const best = (accepted: number) => rateShares({ accepted, firstAt: 0, lastAt: 1 }).bestShare;
    assert.equal(best(480).toFixed(3), "0.960"); // 10 full windows
    assert.equal(best(500).toFixed(3), "0.909"); // 11 windows, the last holding 20
    assert.equal(best(2_000).toFixed(3), "0.952"); // 42 windows, the last holding 32
  });
});
