import { deepStrictEqual, equal } from "node:assert/strict";
import { matchPackages } from "../../../../src/domain/search";
import { CANDIDATES } from "./fixtures";

const ids = (query: string) => matchPackages(query, CANDIDATES).map((m) => m.package.id);

describe("matchPackages", () => {
  const ranked: [query: string, expected: string[]][] = [
    ["Salesforce", ["sf", "sfa"]],
    ["salesfroce", ["sf", "sfa"]],
    ["sales force", ["sf", "sfa", "emea"]],
    ["SALESFORCE admin", ["sfa", "sf"]],
    ["salesforse admin", ["sfa", "sf"]],
    ["business analyst", ["ba"]],
    ["buisness analist", ["ba"]],
    ["CRM", ["sf", "sfa"]],
    ["power bi", ["ba"]],
    ["analytics", ["ba"]],
    ["reporting", ["ba"]],
    ["finance", ["ba"]],
    ["the ERP project", ["erp"]],
    ["SAP", ["erp"]],
    ["emea", ["emea"]],
    ["sales", ["emea", "sf", "sfa"]],
    ["pipeline", ["sf"]],
    ["the weather in paris", []],
    ["coffee machine", []],
    ["break glass", []],
    ["I need access please", []],
    ["", []],
  ];
  for (const [query, expected] of ranked) {
    it(`ranks ${expected.join(", ") || "nothing"} for ${JSON.stringify(query)}`, () => {
      deepStrictEqual(ids(query), expected);
    });
  }

  it("scores an exact name 100 and explains a typo", () => {
    const [exact] = matchPackages("Business Analyst", CANDIDATES);
    equal(exact!.score, 100);
    equal(exact!.reason, 'name "Business Analyst"');
    const [typo] = matchPackages("salesfroce", CANDIDATES);
    equal(typo!.reason, 'name "Salesforce" (you wrote "salesfroce")');
  });

  it("names the keyword, resource or catalog that matched", () => {
    const reasons = (q: string) => matchPackages(q, CANDIDATES)[0]!.reason;
    equal(reasons("CRM"), 'keyword "CRM"');
    equal(reasons("analytics"), 'resource "Analytics Hub"');
    equal(reasons("finance"), 'catalog "Finance"');
    equal(reasons("pipeline"), "description");
  });

  it("breaks equal scores by name, whatever the candidate order", () => {
    const twin = (id: string, name: string) => ({
      ...CANDIDATES[0]!,
      package: { ...CANDIDATES[0]!.package, id, name: `${name} Reader`, keywords: [] },
    });
    const candidates = [twin("z", "Zeta"), twin("a", "Alpha"), twin("m", "Mu")];
    deepStrictEqual(
      matchPackages("reader", candidates).map((m) => m.package.id),
      ["a", "m", "z"],
    );
    deepStrictEqual(
      matchPackages("reader", [...candidates].reverse()).map((m) => m.package.id),
      ["a", "m", "z"],
    );
  });
});
