import assert from "node:assert/strict";
import { findAdminPackage, parseEndDate, parseIntent } from "../../../../src/domain/search";
import type { AccessPackage } from "../../../../src/domain/model";

describe("admin phrases", () => {
  const cases: [string, unknown][] = [
    ["who has Business Analyst?", { kind: "whoHas", query: "Business Analyst" }],
    ["Who has access to Salesforce", { kind: "whoHas", query: "Salesforce" }],
    ["who hsa ERP project", { kind: "whoHas", query: "ERP project" }],
    ["whos got the EMEA Sales package", { kind: "whoHas", query: "EMEA Sales" }],
    ["holders of Design Tools", { kind: "whoHas", query: "Design Tools" }],
    ["pending Business Analyst", { kind: "pending", query: "Business Analyst" }],
    ["pendng requests for Salesforce", { kind: "pending", query: "Salesforce" }],
    ["open requests for Salesforce", { kind: "pending", query: "Salesforce" }],
    [
      "assign Business Analyst to Fred Fischer until 2027-03-31",
      { kind: "assign", query: "Business Analyst", person: "Fred Fischer", until: "2027-03-31" },
    ],
    [
      "please asign EMEA Sales to Lola for 30 days because covering for Henrietta",
      { kind: "assign", query: "EMEA Sales", person: "Lola", days: 30, reason: "covering for Henrietta" },
    ],
    ["assign Design Tools to Debra", { kind: "assign", query: "Design Tools", person: "Debra" }],
    [
      "remove Fred from Business Analyst because he moved to Sales",
      { kind: "removeFrom", person: "Fred", query: "Business Analyst", reason: "he moved to Sales" },
    ],
    ["revoke Lola's access from Salesforce", { kind: "removeFrom", person: "Lola", query: "Salesforce" }],
    ["separation of duties report", { kind: "sodReport" }],
    ["sod report", { kind: "sodReport" }],
    ["link for Executive Expense Reports", { kind: "link", query: "Executive Expense Reports" }],
    ["get the request link for the ERP project", { kind: "link", query: "ERP project" }],
    ["show the seperation of duties conflicts", { kind: "sodReport" }],
  ];
  for (const [text, admin] of cases) {
    it(`reads "${text}"`, () => assert.deepEqual(parseIntent(text), { kind: "admin", admin }));
  }

  it("keeps the person's own lists", () => {
    assert.equal(parseIntent("pending requests").kind, "myRequests");
    assert.equal(parseIntent("pending approvals").kind, "myApprovals");
    assert.equal(parseIntent("I need access to Salesforce").kind, "request");
    assert.notEqual(parseIntent("remove me from Salesforce").kind, "admin");
    assert.notEqual(parseIntent("remove my access to Salesforce").kind, "admin");
  });
});

describe("end dates", () => {
  it("reads ISO dates and written dates with a year, as the end of that day", () => {
    assert.equal(parseEndDate("2027-03-31"), "2027-03-31T23:59:59.000Z");
    assert.equal(parseEndDate("31 March 2027"), "2027-03-31T23:59:59.000Z");
    assert.equal(parseEndDate("March 31st, 2027"), "2027-03-31T23:59:59.000Z");
    for (const bad of ["2027-02-30", "March 31", "next friday", "31 Smarch 2027"])
      assert.equal(parseEndDate(bad), undefined, bad);
  });
});

describe("the package an administrator names", () => {
  const pkg = (id: string, name: string, hidden = false): AccessPackage => ({
    id,
    catalogId: "c",
    name,
    description: "",
    hidden,
    resourceRoles: [],
    incompatiblePackageIds: [],
    incompatibleGroupIds: [],
    keywords: [],
  });
  const candidates = [
    pkg("exec", "Executive Expense Reports", true),
    pkg("emea", "EMEA Sales"),
    pkg("amer", "AMER Sales"),
  ].map((p) => ({ package: p, catalogName: "", resourceNames: [] }));

  it("finds hidden packages, by id or by name with typos", () => {
    const byName = findAdminPackage("executive expnse reports", candidates);
    assert.equal(byName.kind === "one" && byName.match.package.id, "exec");
    assert.equal(byName.kind === "one" && byName.match.package.hidden, true);
    const byId = findAdminPackage("emea", candidates);
    assert.equal(byId.kind === "one" && byId.match.package.id, "emea");
  });

  it("asks which when several match alike", () => {
    assert.equal(findAdminPackage("sales", candidates).kind, "several");
    assert.equal(findAdminPackage("payroll", candidates).kind, "none");
  });
});
