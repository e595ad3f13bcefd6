import { deepStrictEqual, ok as assertOk } from "node:assert/strict";
import { parseRule, planAutoAssignment } from "../../../../src/domain/rules";
import { USERS } from "./fixtures";

describe("planAutoAssignment", () => {
  const cases: [name: string, rule: string, assigned: string[], add: string[], remove: string[]][] = [
    [
      "assigns everyone the rule selects when nobody holds the package",
      'user.department -eq "Sales"',
      [],
      ["ana", "dee"],
      [],
    ],
    [
      "changes nothing when the holders are exactly the selected users",
      'user.department -eq "Sales"',
      ["dee", "ana"],
      [],
      [],
    ],
    [
      "removes holders the rule no longer selects",
      'user.country -eq "DE"',
      ["ana", "ben", "cai"],
      ["dee"],
      ["ben", "cai"],
    ],
    ["removes holders who left the directory", 'user.userType -eq "Guest"', ["eli", "gone"], [], ["gone"]],
    [
      "removes everyone when the rule selects nobody",
      'user.city -eq "Atlantis"',
      ["ana", "ben"],
      [],
      ["ana", "ben"],
    ],
  ];
  for (const [name, rule, assigned, add, remove] of cases) {
    it(name, () => {
      const parsed = parseRule(rule);
      assertOk(parsed.ok);
      deepStrictEqual(planAutoAssignment(parsed.value, USERS, assigned), { add, remove });
    });
  }
});
