import assert from "node:assert/strict";
import { parseGovernance } from "../../src/governance/load";
import { formatted, validFiles } from "../governance/support";

const FILE = "test/governance/fixtures/valid/packages/analyst.yaml";

/** The valid analyst package with `lines` added to its first stage (after `primaryApprovers`). */
function analystWith(lines: string) {
  const files = validFiles();
  const analyst = files.packages.find((p) => p.name.endsWith("analyst.yaml"))!;
  const text = analyst.text.replace(
    "          fallbackApprovers:\n",
    `${lines
      .split("\n")
      .map((l) => `          ${l}`)
      .join("\n")}\n          fallbackApprovers:\n`,
  );
  assert.notEqual(text, analyst.text);
  return { ...files, packages: files.packages.map((p) => (p === analyst ? { ...p, text } : p)) };
}

describe("governance files: step-up on an approval stage", () => {
  it("maps requireStepUp with the default window of 10 minutes, and leaves other stages without", async () => {
    const result = await parseGovernance(analystWith("requireStepUp: true"));
    assert.ok(result.ok, result.ok ? "" : formatted(result.problems).join("\n"));
    const stages = result.config.policies.find((p) => p.id === "analyst-members")!.approval.stages;
    assert.equal(stages[0]!.requireStepUp, true);
    assert.equal(stages[0]!.stepUpFreshnessMinutes, 10);
    assert.equal(stages[1]!.requireStepUp, undefined);
  });

  it("refuses a window outside 1 to 60 minutes, naming the file and path", async () => {
    const result = await parseGovernance(analystWith("requireStepUp: true\nstepUpFreshnessMinutes: 90"));
    assert.ok(!result.ok);
    assert.match(
      formatted(result.problems).join("\n"),
      new RegExp(
        `${FILE}: policies\\[0\\]\\.approval\\.stages\\[0\\]\\.stepUpFreshnessMinutes: must be <= 60 — use a whole number of minutes from 1 to 60`,
      ),
    );
  });

  it("refuses a window without requireStepUp: true", async () => {
    const result = await parseGovernance(analystWith("stepUpFreshnessMinutes: 5"));
    assert.ok(!result.ok);
    assert.match(
      formatted(result.problems).join("\n"),
      new RegExp(
        `${FILE}: policies\\[0\\]\\.approval\\.stages\\[0\\]\\.stepUpFreshnessMinutes: has no effect without requireStepUp: true`,
      ),
    );
  });
});
