import assert from "node:assert/strict";
import { parseGovernance } from "../../src/governance/load";
import { formatted, validFiles } from "./support";

const pkg = (name: string, text: string) => ({ name: `governance/packages/${name}`, text });

async function problemsOf(...extra: { name: string; text: string }[]): Promise<string[]> {
  const result = await parseGovernance(validFiles(extra));
  assert.equal(result.ok, false, "expected problems");
  return result.ok ? [] : formatted(result.problems);
}

const withPolicy = (policy: string) => `name: Extra
catalogId: general
resources:
  - { kind: groupMember, groupId: g-1, displayName: One }
policies:
  - id: p1
    name: P
    requestors: allMembers
${policy}`;

const withQuestionRegex = (regex: string) =>
  withPolicy(`    request:
      questions: [{ id: code, text: Code, kind: shortText, regex: '${regex}' }]`);

const startsWith = (problems: string[], prefix: string) =>
  assert.ok(
    problems.some((m) => m.startsWith(prefix)),
    `expected a problem starting with:\n  ${prefix}\ngot:\n  ${problems.join("\n  ")}`,
  );

describe("governance files: hostile content is refused with the file and the path", () => {
  it("refuses a question regex the linear-time matcher cannot run (lookahead, backreference)", async () => {
    for (const regex of ["^(?=.*[0-9]).+$", "^(a+)\\1$"]) {
      startsWith(
        await problemsOf(pkg("extra.yaml", withQuestionRegex(regex))),
        "governance/packages/extra.yaml: policies[0].request.questions[0].regex: is not a valid regular expression",
      );
    }
  });

  it("accepts a nested-quantifier regex: the matcher runs it in linear time", async () => {
    const result = await parseGovernance(
      validFiles([pkg("extra.yaml", withQuestionRegex("^([a-zA-Z0-9]+\\s?)+$"))]),
    );
    assert.ok(result.ok, result.ok ? "" : formatted(result.problems).join("\n"));
  });

  const withReview = (startDate: string) =>
    withPolicy(`    lifecycle:
      review: { recurrence: quarterly, startDate: ${startDate}, reviewers: [{ kind: manager }] }`);
  const withExpiryDate = (date: string) =>
    withPolicy(`    lifecycle:
      expiry: { kind: onDate, date: "${date}" }`);

  it("refuses a review start date that does not exist instead of rolling it into March", async () => {
    for (const date of ["2026-02-30", "2027-02-29", "2026-04-31"]) {
      startsWith(
        await problemsOf(pkg("extra.yaml", withReview(date))),
        `governance/packages/extra.yaml: policies[0].lifecycle.review.startDate: "${date}" is not a real date`,
      );
    }
  });

  it("refuses impossible expiry dates and times, and accepts a leap day", async () => {
    for (const date of [
      "2026-02-30",
      "2026-06-31T00:00:00Z",
      "2026-01-01T24:00Z",
      "2026-01-01T23:60Z",
      "2026-01-01T10:00:61Z",
      "2026-01-01T10:00+25:00",
    ]) {
      startsWith(
        await problemsOf(pkg("extra.yaml", withExpiryDate(date))),
        `governance/packages/extra.yaml: policies[0].lifecycle.expiry.date: "${date}" is not a real date`,
      );
    }
    const leap = await parseGovernance(validFiles([pkg("extra.yaml", withExpiryDate("2028-02-29"))]));
    assert.ok(leap.ok, leap.ok ? "" : formatted(leap.problems).join("\n"));
    const policy = leap.config.policies.find((p) => p.id === "p1")!;
    assert.deepEqual(policy.lifecycle.expiry, { kind: "onDate", date: "2028-02-29T00:00:00.000Z" });
  });

  it("refuses a YAML alias bomb (billion laughs) with a problem naming the file, not a stack trace", async () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(97 + i - 1);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const bomb = `${levels.join("\n")}\nname: Bomb\ncatalogId: general\nresources: []\n`;
    const problems = await problemsOf(pkg("bomb.yaml", bomb));
    startsWith(problems, "governance/packages/bomb.yaml: is not valid YAML");
    assert.ok(
      problems.some((m) => /alias/i.test(m)),
      problems.join("\n"),
    );
  });
});
