import assert from "node:assert/strict";
import { previewSodViolations } from "../../../src/app/queries/sod-preview";
import { formatSodPreviews } from "../../../src/cli/sod-preview";
import type { Assignment, GovernanceConfig } from "../../../src/domain/model";
import { FixtureDirectory, governanceFixture } from "../../bot/fixtures/organization";
import { memoryStores } from "../../support/stores";

const START = "2026-11-23T10:00:00.000Z";
const holding = (
  userId: string,
  packageId: string,
  state: Assignment["state"] = "delivered",
): Assignment => ({
  id: `asg-${userId}-${packageId}`,
  userId,
  packageId,
  policyId: packageId === "pkg-ba" ? "pol-ba" : "pol-sales",
  requestId: `req-${userId}-${packageId}`,
  state,
  startAt: START,
  resources: [],
  remindersSent: [],
  createdAt: START,
  updatedAt: START,
  revision: 1,
});

describe("governance plan: who would violate a newly declared incompatibility", () => {
  const current = governanceFixture();
  const withIncompatibility = (patch: (c: GovernanceConfig) => void): GovernanceConfig => {
    const config = governanceFixture();
    patch(config);
    return config;
  };

  async function preview(desired: GovernanceConfig, before = current) {
    const stores = memoryStores(current);
    await stores.assignments.create(holding("ana", "pkg-ba"));
    await stores.assignments.create(holding("ana", "pkg-sales"));
    await stores.assignments.create(holding("ben", "pkg-ba"));
    await stores.assignments.create(holding("lola", "pkg-ba", "removed"));
    await stores.assignments.create(holding("lola", "pkg-sales"));
    return previewSodViolations(
      { directory: new FixtureDirectory(), assignments: stores.assignments },
      before,
      desired,
    );
  }

  it("names current holders of both packages, once, with their names", async () => {
    const desired = withIncompatibility((c) => {
      c.packages[1]!.incompatiblePackageIds = ["pkg-ba"];
    });
    const found = await preview(desired);
    assert.deepEqual(
      found.map((v) => [v.kind, v.userName, v.kind === "packages" ? v.otherPackageId : ""]),
      [["packages", "Ana Costa", "pkg-sales"]],
    );
    const text = formatSodPreviews(found, (id) => desired.packages.find((p) => p.id === id)!.name);
    assert.match(text, /1 current holder\(s\) would violate/);
    assert.match(text, /Ana Costa \(ana\) holds Business Analyst and Salesforce Sales/);
  });

  it("names members of a newly excluded group, and nothing that was already declared", async () => {
    const desired = withIncompatibility((c) => {
      c.packages[0]!.incompatibleGroupIds = ["g-security"];
    });
    const stores = memoryStores(current);
    await stores.assignments.create(holding("sam", "pkg-ba"));
    const found = await previewSodViolations(
      { directory: new FixtureDirectory(), assignments: stores.assignments },
      current,
      desired,
    );
    assert.deepEqual(
      found.map((v) => [v.kind, v.userName, v.groupName]),
      [["group", "Sam Reyes", "Security approvers"]],
    );
    assert.deepEqual(await preview(desired, desired), [], "already declared: not new");
    assert.equal(formatSodPreviews([], String), "");
  });
});
