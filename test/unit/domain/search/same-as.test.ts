import { deepStrictEqual } from "node:assert/strict";
import { suggestSameAs } from "../../../../src/domain/search";

describe("suggestSameAs", () => {
  const cases: [
    name: string,
    held: string[],
    requestable: string[],
    suggest: string[],
    notRequestable: string[],
  ][] = [
    [
      "suggests the held packages the requester may request",
      ["sf", "ba"],
      ["ba", "sf", "erp"],
      ["sf", "ba"],
      [],
    ],
    ["keeps back packages no policy lets the requester request", ["sf", "admin"], ["sf"], ["sf"], ["admin"]],
    ["suggests nothing when the other person holds nothing", [], ["sf"], [], []],
    ["lists each held package once", ["sf", "sf", "ba"], ["sf"], ["sf"], ["ba"]],
  ];
  for (const [name, held, requestable, suggest, notRequestable] of cases) {
    it(name, () => {
      deepStrictEqual(suggestSameAs(held, requestable), { suggest, notRequestable });
    });
  }
});
