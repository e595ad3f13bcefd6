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
});
