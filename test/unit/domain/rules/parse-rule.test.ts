import { deepStrictEqual, equal, ok as assertOk } from "node:assert/strict";
import { formatRule, parseRule } from "../../../../src/domain/rules";

describe("parseRule", () => {
  it("builds a tree with canonical property names and operators", () => {
    const parsed = parseRule('user.DEPARTMENT -startswith "Sales" -and -not user.country -in ["DE"]');
    assertOk(parsed.ok);
    deepStrictEqual(parsed.value, {
      kind: "and",
      operands: [
        { kind: "compare", property: "department", operator: "-startsWith", value: "Sales" },
        { kind: "not", operand: { kind: "list", property: "country", operator: "-in", values: ["DE"] } },
      ],
    });
  });

  it("reads a backtick-escaped quote inside a value", () => {
    const parsed = parseRule('user.jobTitle -eq "The `"Boss`""');
    assertOk(parsed.ok);
    deepStrictEqual(parsed.value, {
      kind: "compare",
      property: "jobTitle",
      operator: "-eq",
      value: 'The "Boss"',
    });
  });

  const invalid: [rule: string, message: string, position: number][] = [
    ["", 'the rule is empty at position 1 (write a condition like user.department -eq "Sales")', 1],
    ["   ", 'the rule is empty at position 1 (write a condition like user.department -eq "Sales")', 1],
    ["user.department -eq", "expected a value after -eq at position 20", 20],
    [
      "user.department -eq -and",
      'expected a value after -eq, found -and at position 21 (put text values in double quotes, like "Sales")',
      21,
    ],
    [
      "user.department -eq Sales",
      'expected a value after -eq, found Sales at position 21 (put text values in double quotes, like "Sales")',
      21,
    ],
    [
      'user.departmnt -eq "Sales"',
      "unknown property user.departmnt at position 1 (did you mean department?)",
      1,
    ],
    ['user.jobtitel -eq "x"', "unknown property user.jobtitel at position 1 (did you mean jobTitle?)", 1],
    [
      'user.extensionAttribute16 -eq "x"',
      "unknown property user.extensionAttribute16 at position 1 (did you mean extensionAttribute1?)",
      1,
    ],
    [
      'user.memberOf -eq "x"',
      'user.memberOf has several values: use -any or -all at position 15 (e.g. user.memberOf -any (group.objectId -in ["<group id>"]))',
      15,
    ],
    ['user.city -eq "a" -and (user.city -eq "b"', "unclosed parenthesis opened at position 24", 24],
    ['user.city -eq "a" )', "unexpected ) at position 19 (no parenthesis is open)", 19],
    ['user.city -eq "a" user.country -eq "b"', "expected -and or -or, found user.country at position 19", 19],
    ['user.city -eq "a" -and', "expected a condition after -and at position 23", 23],
    ["-not", "expected a condition after -not at position 5", 5],
    [
      "()",
      'expected a condition after (, found ) at position 2 (a condition looks like user.department -eq "Sales")',
      2,
    ],
    [
      'department -eq "Sales"',
      'expected a condition, found department at position 1 (a condition looks like user.department -eq "Sales")',
      1,
    ],
    ["user.city", "expected an operator after user.city at position 10", 10],
    [
      'user.city -equals "x"',
      "unknown operator -equals at position 11 (use -eq, -ne, -startsWith, -notStartsWith, -contains, -notContains, -match, -notMatch, -ge, -le, -in, -notIn)",
      11,
    ],
    [
      'user.city -gt "B"',
      "operator -gt is not supported at position 11 (use -eq, -ne, -startsWith, -notStartsWith, -contains, -notContains, -match, -notMatch, -ge, -le, -in, -notIn)",
      11,
    ],
    ['user.city -eq "Berlin', 'unterminated text value starting at position 15 (a closing " is missing)', 15],
    ['user.city -eq "a" ; user.city -eq "b"', "unexpected character ; at position 19", 19],
    ['user.city -in "a"', 'expected a list like ["a", "b"] after -in at position 15', 15],
    ['user.city -in ["a" "b"]', 'expected , or ] in the list, found "b" at position 20', 20],
    ['user.city -in ["a", b]', "expected a quoted value in the list, found b at position 21", 21],
    ['user.city -notIn ["a",', "unclosed [ opened at position 18", 18],
    ["user.accountEnabled -eq yes", "user.accountEnabled takes true or false, found yes at position 25", 25],
    [
      'user.accountEnabled -eq "true"',
      'user.accountEnabled takes true or false, found "true" at position 25',
      25,
    ],
    [
      "user.accountEnabled -contains true",
      "-contains does not apply to user.accountEnabled at position 21 (use -eq or -ne)",
      21,
    ],
    [
      'user.accountEnabled -in ["true"]',
      "-in does not apply to user.accountEnabled at position 21 (use -eq or -ne)",
      21,
    ],
    ["user.city -contains null", "null works only with -eq and -ne, not -contains at position 21", 21],
  ];
  for (const [rule, message, position] of invalid) {
    it(`rejects ${JSON.stringify(rule)} naming position ${position}`, () => {
      const parsed = parseRule(rule);
      deepStrictEqual(parsed, { ok: false, error: { code: "RULE.PARSE", message, position } });
    });
  }
});

describe("formatRule", () => {
  const cases: [rule: string, formatted: string][] = [
    ['USER.department EQ "Sales"', 'user.department -eq "Sales"'],
    ["user.accountEnabled -eq TRUE", "user.accountEnabled -eq true"],
    ["user.city -eq NULL", "user.city -eq null"],
    ["user.city -in ['a','b']", 'user.city -in ["a", "b"]'],
    [
      '(user.city -eq "a" -or user.city -eq "b") -and user.country -eq "DE"',
      '(user.city -eq "a" -or user.city -eq "b") -and user.country -eq "DE"',
    ],
    [
      '(user.city -eq "a" -and user.city -eq "b") -or user.country -eq "DE"',
      'user.city -eq "a" -and user.city -eq "b" -or user.country -eq "DE"',
    ],
    ['-not (user.city -eq "a")', '-not user.city -eq "a"'],
    [
      '-not (user.city -eq "a" -or user.country -eq "b")',
      '-not (user.city -eq "a" -or user.country -eq "b")',
    ],
    ['user.jobTitle -eq "say `"hi`" with ``"', 'user.jobTitle -eq "say `"hi`" with ``"'],
  ];
  for (const [rule, formatted] of cases) {
    it(`writes ${rule} as ${formatted} and reads it back to the same rule`, () => {
      const parsed = parseRule(rule);
      assertOk(parsed.ok);
      equal(formatRule(parsed.value), formatted);
      deepStrictEqual(parseRule(formatted), parsed);
    });
  }
});
