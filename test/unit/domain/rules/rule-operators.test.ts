import { deepStrictEqual, equal, ok as assertOk } from "node:assert/strict";
import type { DirectoryUser } from "../../../../src/domain/model";
import {
  evaluateRule,
  formatRule,
  parseRule,
  planAutoAssignment,
  ruleGroupIds,
  type RuleAst,
} from "../../../../src/domain/rules";

const user = (id: string, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id,
  displayName: id,
  userPrincipalName: `${id}@contoso.test`,
  userType: "Member",
  accountEnabled: true,
  ...extra,
});

const PEOPLE: DirectoryUser[] = [
  user("ana", {
    jobTitle: "Sales Manager",
    extensionAttributes: { extensionAttribute2: "7", extensionAttribute3: "2024-03-01" },
    otherMails: ["ana@partner.test"],
    proxyAddresses: ["SMTP:ana@contoso.test", "smtp:ana.old@contoso.test"],
  }),
  user("ben", {
    jobTitle: "Account Manager",
    extensionAttributes: { extensionAttribute2: "12", extensionAttribute3: "2025-11-30" },
    proxyAddresses: ["SMTP:ben@contoso.test"],
  }),
  user("cai", { jobTitle: "Analyst", extensionAttributes: { extensionAttribute2: "3" } }),
];
const GROUPS: Record<string, string[]> = { ana: ["g-sales"], ben: ["g-sales", "g-leads"] };

function parsed(rule: string): RuleAst {
  const result = parseRule(rule);
  assertOk(result.ok, `expected ${rule} to parse: ${result.ok ? "" : result.error.message}`);
  return result.value;
}

function matches(rule: string): string[] {
  const ast = parsed(rule);
  return PEOPLE.filter((u) => evaluateRule(ast, u, new Set(GROUPS[u.id] ?? []))).map((u) => u.id);
}

describe("rule operators admins write in Entra", () => {
  const cases: [rule: string, expected: string[]][] = [
    ['user.jobTitle -match "^(sales|account) manager$"', ["ana", "ben"]],
    ['user.jobTitle -notMatch "manager"', ["cai"]],
    ['user.extensionAttribute2 -ge "7"', ["ana", "ben"]],
    ["user.extensionAttribute2 -le 7", ["ana", "cai"]],
    ['user.extensionAttribute3 -ge "2025-01-01"', ["ben"]],
    ['user.extensionAttribute3 -le "2025-01-01"', ["ana"]],
    ['user.otherMails -any (_ -contains "partner")', ["ana"]],
    ['user.proxyAddresses -any (_ -startsWith "smtp:") -and user.jobTitle -startsWith "sales"', ["ana"]],
    ['user.proxyAddresses -all (_ -match "@contoso\\.test$")', ["ana", "ben", "cai"]],
    ['user.proxyAddresses -all (_ -notContains "old")', ["ben", "cai"]],
    ['user.memberOf -any (group.objectId -in ["g-sales", "g-other"])', ["ana", "ben"]],
    ['user.memberof -any (group.objectid -in ["G-LEADS"])', ["ben"]],
    ['-not user.memberOf -any (group.objectId -eq "g-sales")', ["cai"]],
    ['user.memberOf -all (group.objectId -in ["g-sales"])', ["ana", "cai"]],
  ];
  for (const [rule, expected] of cases) {
    it(`selects ${expected.join(", ") || "nobody"} for ${rule}`, () => {
      deepStrictEqual(matches(rule), expected);
    });
  }

  it("lists the groups a memberOf rule names, once, in lower case", () => {
    deepStrictEqual(
      ruleGroupIds(
        parsed(
          'user.memberOf -any (group.objectId -in ["G1", "g2"]) -or user.memberOf -any (group.objectId -eq "g1")',
        ),
      ),
      ["g1", "g2"],
    );
    deepStrictEqual(ruleGroupIds(parsed('user.department -in ["g1"]')), []);
  });

  it("plans with the memberships it is given and treats a user without them as in no group", () => {
    const rule = parsed('user.memberOf -any (group.objectId -in ["g-leads"])');
    const plan = planAutoAssignment(rule, PEOPLE, ["ana"], (id) => new Set(GROUPS[id] ?? []));
    deepStrictEqual(plan, { add: ["ben"], remove: ["ana"] });
    deepStrictEqual(planAutoAssignment(rule, PEOPLE, []), { add: [], remove: [] });
  });

  it("runs a pattern that backtracking engines take exponential time on in linear time", () => {
    const rule = parsed('user.jobTitle -match "^(a+)+$"');
    const started = Date.now();
    equal(evaluateRule(rule, user("x", { jobTitle: `${"a".repeat(5000)}!` })), false);
    assertOk(Date.now() - started < 1000);
  });

  const formatted: [rule: string, canonical: string][] = [
    [
      "user.memberof -any (group.objectId -in ['a','b'])",
      'user.memberOf -any (group.objectId -in ["a", "b"])',
    ],
    [
      'user.otherMails -all (_ -contains "x" -or _ -eq null)',
      'user.otherMails -all (_ -contains "x" -or _ -eq null)',
    ],
    ["user.extensionAttribute2 -GE 10", 'user.extensionAttribute2 -ge "10"'],
  ];
  for (const [rule, canonical] of formatted) {
    it(`writes ${rule} as ${canonical} and reads it back to the same rule`, () => {
      const ast = parsed(rule);
      equal(formatRule(ast), canonical);
      deepStrictEqual(parsed(formatRule(ast)), ast);
    });
  }

  const invalid: [rule: string, message: string, position: number][] = [
    [
      'user.jobTitle -match "(?=x)"',
      'the pattern "(?=x)" does not compile: error parsing regexp: invalid or unsupported Perl syntax: `(?=` at position 22 (patterns use RE2 syntax (no lookaround or backreferences))',
      22,
    ],
    [
      'user.department -any (_ -eq "x")',
      "-any applies only to a multi-valued property (otherMails, proxyAddresses, memberOf) at position 17 (use -eq, -in or another single-value operator)",
      17,
    ],
    ['user.otherMails -any _ -eq "x"', "expected ( after -any at position 22 (write -any (_ ...))", 22],
    [
      'user.memberOf -any (group.objectId -contains "x")',
      '-contains does not apply to group.objectId at position 36 (use -in ["<group id>", ...] or -eq "<group id>")',
      36,
    ],
    [
      'user.otherMails -any (user.city -eq "x")',
      "expected _ inside -any/-all, found user.city at position 23 (write user.otherMails -any (_ ...))",
      23,
    ],
    ['user.otherMails -any (_ -eq "x"', "unclosed parenthesis opened at position 22", 22],
    [
      "user.city -ge Berlin",
      'expected a value after -ge, found Berlin at position 15 (put text values in double quotes, like "Sales")',
      15,
    ],
  ];
  for (const [rule, message, position] of invalid) {
    it(`rejects ${JSON.stringify(rule)} naming column ${position}`, () => {
      deepStrictEqual(parseRule(rule), { ok: false, error: { code: "RULE.PARSE", message, position } });
    });
  }
});
