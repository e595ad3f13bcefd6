import assert from "node:assert/strict";
import { loadGovernance, parseGovernance } from "../../src/governance/load";
import { brokenFixture, formatted, validFiles } from "./support";

const F = "test/governance/fixtures/broken";

describe("governance files: shape errors name the file, the path inside it and what to do", () => {
  const cases: { file: string; expected: string; line?: number }[] = [
    {
      file: "zero-decision-window.yaml",
      expected: `${F}/zero-decision-window.yaml: policies[0].approval.stages[1].decisionWindowDays: must be >= 1 — use a whole number of days from 1 to 14`,
      line: 13,
    },
    {
      file: "four-stages.yaml",
      expected: `${F}/four-stages.yaml: policies[0].approval.stages: must NOT have more than 3 items — use one to three approval stages`,
    },
    {
      file: "unknown-approver-kind.yaml",
      expected: `${F}/unknown-approver-kind.yaml: policies[0].approval.stages[0].primaryApprovers[0].kind: "boss" is not a known kind — use one of: manager, users, groupMembers, sponsors`,
      line: 11,
    },
    {
      file: "misspelled-field.yaml",
      expected: `${F}/misspelled-field.yaml: policies[0].lifecycle.extention: is not a known field — remove it or check its spelling (known fields: expiry, extension, selfRemoval, review, outOfBandMembers)`,
      line: 11,
    },
    {
      file: "missing-resources.yaml",
      expected: `${F}/missing-resources.yaml: resources: is required — add \`resources\``,
    },
    {
      file: "bad-recurrence.yaml",
      expected: `${F}/bad-recurrence.yaml: policies[0].lifecycle.review.recurrence: "weekly" is not allowed — use one of: "monthly", "quarterly", "semiAnnual", "annual"`,
      line: 11,
    },
    {
      file: "missing-requestors.yaml",
      expected: `${F}/missing-requestors.yaml: policies[0].requestors: is required — say who may request`,
    },
    {
      file: "bad-yaml.txt",
      expected: `${F}/bad-yaml.txt: is not valid YAML`,
      line: 6,
    },
  ];

  for (const c of cases) {
    it(`reports ${c.file} precisely`, async () => {
      const result = await parseGovernance(validFiles([brokenFixture(c.file)]));
      assert.equal(result.ok, false);
      if (result.ok) return;
      const messages = formatted(result.problems);
      assert.ok(
        messages.some((m) => m.startsWith(c.expected)),
        `expected a problem starting with:\n  ${c.expected}\ngot:\n  ${messages.join("\n  ")}`,
      );
      if (c.line !== undefined) {
        assert.ok(
          result.problems.some((p) => p.line === c.line),
          `expected line ${c.line}, got ${result.problems.map((p) => p.line).join(", ")}`,
        );
      }
    });
  }

  it("reports every broken file at once, not just the first", async () => {
    const result = await parseGovernance(
      validFiles([brokenFixture("four-stages.yaml"), brokenFixture("bad-recurrence.yaml")]),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    const files = new Set(result.problems.map((p) => p.file));
    assert.deepEqual([...files].sort(), [`${F}/bad-recurrence.yaml`, `${F}/four-stages.yaml`]);
  });

  it("says so when catalogs.yaml is missing", async () => {
    const result = await loadGovernance("test/governance/fixtures/broken");
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(formatted(result.problems)[0]!, /broken\/catalogs\.yaml: is missing — create it/);
  });
});
