import assert from "node:assert/strict";
import { resolveReviewPeriod } from "../../src/bot/answers/review-period";

describe("review period as written in chat", () => {
  const now = new Date("2026-11-23T10:00:00Z");
  const cases: Array<[string, string | undefined]> = [
    ["October", "2026-10"],
    ["november", "2026-11"],
    ["December", "2025-12"],
    ["Dec 2026", "2026-12"],
    ["2026-03", "2026-03"],
    ["this month", "2026-11"],
    ["last month", "2026-10"],
    ["Q4 2026", undefined],
    ["someday", undefined],
  ];
  for (const [written, label] of cases) {
    it(`reads "${written}" as ${label ?? "no month"}`, () => {
      assert.equal(resolveReviewPeriod(written, now), label);
    });
  }

  it("reads last month in January as December of the year before", () => {
    assert.equal(resolveReviewPeriod("last month", new Date("2027-01-10T00:00:00Z")), "2026-12");
  });
});
