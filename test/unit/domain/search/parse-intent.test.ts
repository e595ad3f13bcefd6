import { deepStrictEqual } from "node:assert/strict";
import { parseIntent, type Intent } from "../../../../src/domain/search";

describe("parseIntent", () => {
  const cases: [text: string, intent: Intent][] = [
    ["I need access to Salesforce", { kind: "request", query: "Salesforce" }],
    ["request Business Analyst", { kind: "request", query: "Business Analyst" }],
    ["can I get salesforce?", { kind: "request", query: "salesforce" }],
    ["give me access to the ERP project", { kind: "request", query: "ERP project" }],
    ["Hi, I need access to Salesforce please.", { kind: "request", query: "Salesforce" }],
    ["I'd like access to SAP", { kind: "request", query: "SAP" }],
    ["how do I get access to Salesforce?", { kind: "request", query: "Salesforce" }],
    ["I want the Power BI package", { kind: "request", query: "Power BI" }],
    ["REQUEST   salesforce!!", { kind: "request", query: "salesforce" }],
    [
      "request access to the ERP project for the contractors",
      { kind: "request", query: "ERP project for the contractors" },
    ],
    ["I need access", { kind: "browse" }],
    ["what can I request?", { kind: "browse" }],
    ["catalog", { kind: "browse" }],
    ["list packages", { kind: "browse" }],
    ["show me the packages", { kind: "browse" }],
    ["What's available?", { kind: "browse" }],
    ["same access as Lola", { kind: "sameAs", person: "Lola" }],
    ["I need what Lola Jensen has", { kind: "sameAs", person: "Lola Jensen" }],
    ["i want the same access as Lola's", { kind: "sameAs", person: "Lola" }],
    ["Same as <at>Lola Jensen</at>", { kind: "sameAs", person: "Lola Jensen" }],
    ["copy access from Fred Ott", { kind: "sameAs", person: "Fred Ott" }],
    ["my requests", { kind: "myRequests" }],
    ["Please show my requests", { kind: "myRequests" }],
    ["status of my request?", { kind: "myRequests" }],
    ["my access", { kind: "myAccess" }],
    ["what access do I have?", { kind: "myAccess" }],
    ["Can you show me my access?", { kind: "myAccess" }],
    ["my approvals", { kind: "myApprovals" }],
    ["what do I need to approve?", { kind: "myApprovals" }],
    ["pending approvals", { kind: "myApprovals" }],
    ["my reviews", { kind: "myReviews" }],
    ["access reviews", { kind: "myReviews" }],
    ["what do i need to review", { kind: "myReviews" }],
    ["help", { kind: "help" }],
    ["What can you do?", { kind: "help" }],
    ["cancel", { kind: "cancel" }],
    ["never mind", { kind: "cancel" }],
    ["cancel my request for Salesforce", { kind: "cancel", query: "Salesforce" }],
    ["withdraw the Business Analyst request", { kind: "cancel", query: "Business Analyst" }],
    ["request Business Analyst for Fred", { kind: "onBehalf", person: "Fred", query: "Business Analyst" }],
    ["request Salesforce on behalf of fred", { kind: "onBehalf", person: "fred", query: "Salesforce" }],
    [
      "request Business Analyst for fred@contoso.com",
      { kind: "onBehalf", person: "fred@contoso.com", query: "Business Analyst" },
    ],
    [
      "review results for Business Analyst, October",
      { kind: "reviewResults", query: "Business Analyst", period: "October" },
    ],
    [
      "review results Business Analyst October 2026",
      { kind: "reviewResults", query: "Business Analyst", period: "October 2026" },
    ],
    ["review results for Sales in Q3 2026", { kind: "reviewResults", query: "Sales", period: "Q3 2026" }],
    ["show the review results for Salesforce", { kind: "reviewResults", query: "Salesforce" }],
    ["Hi!", { kind: "greeting" }],
    ["hello there", { kind: "greeting" }],
    ["Good morning", { kind: "greeting" }],
    ["asdf qwerty", { kind: "unknown", text: "asdf qwerty" }],
    ["salesforce", { kind: "unknown", text: "salesforce" }],
    ["", { kind: "unknown", text: "" }],
  ];
  for (const [text, intent] of cases) {
    it(`reads ${JSON.stringify(text)} as ${intent.kind}`, () => {
      deepStrictEqual(parseIntent(text), intent);
    });
  }
});
