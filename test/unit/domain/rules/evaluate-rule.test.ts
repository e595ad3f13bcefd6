import { deepStrictEqual, ok as assertOk } from "node:assert/strict";
import { evaluateRule, parseRule } from "../../../../src/domain/rules";
import { USERS } from "./fixtures";

function matches(rule: string): string[] {
  const parsed = parseRule(rule);
  assertOk(parsed.ok, `expected ${rule} to parse: ${parsed.ok ? "" : parsed.error.message}`);
  return USERS.filter((user) => evaluateRule(parsed.value, user)).map((user) => user.id);
}

describe("evaluateRule", () => {
  const cases: [rule: string, expected: string[]][] = [
    ['user.department -eq "Sales"', ["ana", "dee"]],
    ['user.department -eq "SALES"', ["ana", "dee"]],
    ['user.department -ne "Sales"', ["ben", "cai", "eli"]],
    ['user.department -startsWith "sales"', ["ana", "ben", "dee"]],
    ['user.department -notStartsWith "Sales"', ["cai", "eli"]],
    ['user.jobTitle -contains "analyst"', ["ben", "cai"]],
    ['user.jobTitle -notContains "Analyst"', ["ana", "dee", "eli"]],
    ['user.country -in ["DE", "sg"]', ["ana", "cai", "dee"]],
    ['user.country -notIn ["DE","SG"]', ["ben", "eli"]],
    ["user.city -in []", []],
    ['user.companyName -eq "Fabrikam"', ["eli"]],
    ['user.userType -eq "Guest"', ["eli"]],
    ['user.userType -eq "member"', ["ana", "ben", "cai", "dee"]],
    ['user.officeLocation -eq "BER-2"', ["ana"]],
    ["user.accountEnabled -eq false", ["dee"]],
    ["user.accountEnabled -ne true", ["dee"]],
    ["user.department -eq null", ["eli"]],
    ["user.officeLocation -ne null", ["ana"]],
    ['user.extensionAttribute1 -eq "emea"', ["ana"]],
    ['user.extensionAttribute1 -in ["AMER", "APAC"]', ["ben", "cai"]],
    ['user.extensionAttribute15 -startsWith "cost-"', ["ana"]],
    ['user.department -eq "Sales" -and user.accountEnabled -eq true', ["ana"]],
    ['user.country -eq "DE" -or user.country -eq "SG"', ["ana", "cai", "dee"]],
    ['-not user.country -eq "DE"', ["ben", "cai", "eli"]],
    ['-not (user.country -eq "DE" -or user.userType -eq "Guest")', ["ben", "cai"]],
    // -and binds tighter than -or, as in Entra.
    ['user.country -eq "US" -or user.country -eq "DE" -and user.city -eq "Munich"', ["ben", "dee", "eli"]],
    [
      '(user.country -eq "US" -or user.country -eq "DE") -and user.accountEnabled -eq true',
      ["ana", "ben", "eli"],
    ],
    ['USER.Department -EQ "sales" -AND user.City -eq "berlin"', ["ana"]],
    ['user.department eq "Finance" or user.userType eq "Guest"', ["cai", "eli"]],
    ['((user.city -startsWith "s"))', ["ben", "cai"]],
  ];
  for (const [rule, expected] of cases) {
    it(`selects ${expected.join(", ") || "nobody"} for ${rule}`, () => {
      deepStrictEqual(matches(rule), expected);
    });
  }
});
