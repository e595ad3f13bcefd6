import { equal } from "node:assert/strict";
import { editDistance } from "../../../../src/domain/search";

describe("editDistance", () => {
  const cases: [a: string, b: string, distance: number][] = [
    ["salesforce", "salesforce", 0],
    ["salesfroce", "salesforce", 1],
    ["buisness", "business", 1],
    ["analist", "analyst", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["ca", "abc", 3],
  ];
  for (const [a, b, distance] of cases) {
    it(`counts ${distance} edits from ${JSON.stringify(a)} to ${JSON.stringify(b)}`, () => {
      equal(editDistance(a, b), distance);
      equal(editDistance(b, a), distance);
    });
  }

  it("stops at the limit and reports limit + 1", () => {
    equal(editDistance("kitten", "sitting", 1), 2);
  });
});
