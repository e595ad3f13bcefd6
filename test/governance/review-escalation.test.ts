import assert from "node:assert/strict";
import { parseGovernance } from "../../src/governance/load";
import { formatted, validFiles } from "./support";

const FILE = "packages/escalating.yaml";

/** A package whose policy is reviewed monthly with these extra review settings (YAML lines). */
const withReview = (extra: string[]) => ({
  name: FILE,
  text: [
    "name: Escalating",
    "catalogId: general",
    "resources:",
    "  - { kind: groupMember, groupId: g-1, displayName: One }",
    "policies:",
    "  - id: escalating-policy",
    "    name: Members",
    "    requestors: allMembers",
    "    lifecycle:",
    "      review:",
    "        recurrence: monthly",
    "        startDate: 2026-01-05",
    "        reviewers: [{ kind: manager }]",
    ...extra.map((line) => `        ${line}`),
  ].join("\n"),
});

async function problemsOf(extra: string[]): Promise<string[]> {
  const result = await parseGovernance(validFiles([withReview(extra)]));
  return result.ok ? [] : formatted(result.problems);
}

describe("governance files: review escalation to the fallback reviewers", () => {
  it("maps escalateAfterDays with the fallback reviewers onto the policy", async () => {
    const result = await parseGovernance(
      validFiles([
        withReview(["fallbackReviewers: [{ kind: users, userIds: [u-1] }]", "escalateAfterDays: 3"]),
      ]),
    );
    assert.ok(result.ok, result.ok ? "" : formatted(result.problems).join("\n"));
    const review = result.config.policies.find((p) => p.id === "escalating-policy")?.lifecycle.review;
    assert.equal(review?.escalateAfterDays, 3);
    assert.deepEqual(review?.fallbackReviewers, [{ kind: "users", userIds: ["u-1"] }]);
  });

  const refused: Array<[string, string[], string]> = [
    [
      "a value that is not a whole number of days",
      ["fallbackReviewers: [{ kind: users, userIds: [u-1] }]", "escalateAfterDays: 0"],
      `${FILE}: policies[0].lifecycle.review.escalateAfterDays: must be >= 1 — use a whole number of days`,
    ],
    [
      "escalation after the review ended",
      ["fallbackReviewers: [{ kind: users, userIds: [u-1] }]", "durationDays: 7", "escalateAfterDays: 7"],
      `${FILE}: policies[0].lifecycle.review.escalateAfterDays: must be less than the review's duration (7 days)`,
    ],
    [
      "escalation without fallback reviewers",
      ["escalateAfterDays: 3"],
      `${FILE}: policies[0].lifecycle.review.escalateAfterDays: has nobody to escalate to`,
    ],
  ];
  for (const [name, extra, expected] of refused) {
    it(`refuses ${name}, naming the file and the path`, async () => {
      const messages = await problemsOf(extra);
      assert.ok(
        messages.some((m) => m.startsWith(expected)),
        `expected a problem starting with:\n  ${expected}\ngot:\n  ${messages.join("\n  ")}`,
      );
    });
  }
});
