import assert from "node:assert/strict";
import { parseGovernance } from "../../src/governance/load";
import { LocalDirectory, MemoryMembershipStore, parseOrganization } from "../../src/adapters/local-directory";
import { formatted, validFiles } from "./support";

const pkg = (name: string, text: string) => ({ name: `governance/packages/${name}`, text });

async function problemsOf(...extra: { name: string; text: string }[]): Promise<string[]> {
  const result = await parseGovernance(validFiles(extra));
  assert.equal(result.ok, false, "expected problems");
  return result.ok ? [] : formatted(result.problems);
}

const base = (body: string) => `name: Extra
catalogId: general
resources:
  - { kind: groupMember, groupId: g-1, displayName: One }
${body}`;

describe("governance files: references between files", () => {
  it("accepts the valid fixture and fills in the defaults", async () => {
    const result = await parseGovernance(validFiles());
    assert.ok(result.ok, result.ok ? "" : formatted(result.problems).join("\n"));
    const policy = result.config.policies.find((p) => p.id === "analyst-members")!;
    assert.equal(result.config.packages[0]!.id, "analyst", "the file name is the package id");
    assert.equal(policy.approval.required, true);
    assert.equal(policy.approval.stages[1]!.decisionWindowDays, 14);
    assert.deepEqual(policy.approval.stages[0]!.primaryApprovers, [{ kind: "manager", level: 1 }]);
    assert.equal(policy.request.justificationRequired, true);
    assert.deepEqual(policy.lifecycle.expiry, { kind: "afterDays", days: 365 });
    assert.equal(result.config.catalogs[0]!.enabled, true);
    const project = result.config.policies.find((p) => p.id === "project-partners")!;
    assert.equal(project.approval.required, false, "no stages means auto-approved");
    assert.deepEqual(project.lifecycle.expiry, { kind: "onDate", date: "2027-06-30T00:00:00.000Z" });
    assert.equal(project.request.questions[0]!.required, true);
  });

  it("names a package whose catalog does not exist", async () => {
    const problems = await problemsOf(
      pkg(
        "extra.yaml",
        base("policies: [{ id: p1, name: P, requestors: allMembers }]").replace(
          "catalogId: general",
          "catalogId: genral",
        ),
      ),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          'governance/packages/extra.yaml: catalogId: no catalog "genral" — declare it in catalogs.yaml or use one of: general, partners',
        ),
      ),
      problems.join("\n"),
    );
  });

  it("names an incompatible package that does not exist", async () => {
    const problems = await problemsOf(
      pkg(
        "extra.yaml",
        base("incompatiblePackageIds: [nope]\npolicies: [{ id: p1, name: P, requestors: allMembers }]"),
      ),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith('governance/packages/extra.yaml: incompatiblePackageIds[0]: no access package "nope"'),
      ),
      problems.join("\n"),
    );
  });

  it("names a connected organisation that does not exist and an invisible catalog", async () => {
    const problems = await problemsOf(
      pkg(
        "extra.yaml",
        base(
          "policies:\n  - id: p1\n    name: P\n    requestors: { kind: connectedOrganizations, organizationIds: [contoso-partner] }",
        ),
      ),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          'governance/packages/extra.yaml: policies[0].requestors.organizationIds[0]: no connected organisation "contoso-partner"',
        ),
      ),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((m) =>
        m.includes(
          'catalog "general" is not visible to connected organisations — set externallyVisible: true',
        ),
      ),
      problems.join("\n"),
    );
  });

  it("refuses a policy id used twice, naming the first file", async () => {
    const problems = await problemsOf(
      pkg("extra.yaml", base("policies: [{ id: analyst-members, name: P, requestors: allMembers }]")),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          'governance/packages/extra.yaml: policies[0].id: Policy id "analyst-members" is already used in test/governance/fixtures/valid/packages/analyst.yaml',
        ),
      ),
      problems.join("\n"),
    );
  });

  it("refuses a question regex that does not compile", async () => {
    const problems = await problemsOf(
      pkg(
        "extra.yaml",
        base(
          "policies:\n  - id: p1\n    name: P\n    requestors: allMembers\n    request:\n      questions: [{ id: cost-centre, text: Cost centre, kind: shortText, regex: '[0-9' }]",
        ),
      ),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          "governance/packages/extra.yaml: policies[0].request.questions[0].regex: is not a valid regular expression",
        ),
      ),
      problems.join("\n"),
    );
  });

  it("refuses approval required without stages, and two auto-assignment policies on one package", async () => {
    const problems = await problemsOf(
      pkg(
        "extra.yaml",
        base(`policies:
  - { id: p1, name: P, requestors: allMembers, approval: { required: true } }
  - { id: p2, name: A, autoAssignment: { rule: 'user.department -eq "Sales"' } }
  - { id: p3, name: B, autoAssignment: { rule: 'user.country -eq "DE"' } }`),
      ),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          "governance/packages/extra.yaml: policies[0].approval.stages: approval is required but no stage is declared",
        ),
      ),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          "governance/packages/extra.yaml: policies[2].autoAssignment: a package can have only one auto-assignment policy",
        ),
      ),
      problems.join("\n"),
    );
  });

  it("passes auto-assignment rules to the rule checker it is given", async () => {
    const result = await parseGovernance(
      validFiles([
        pkg(
          "extra.yaml",
          base("policies: [{ id: p2, name: A, autoAssignment: { rule: 'user.department -eq' } }]"),
        ),
      ]),
      { checkRule: (rule) => (rule.endsWith("-eq") ? "a value is missing after -eq" : undefined) },
    );
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.match(
        formatted(result.problems).join("\n"),
        /policies\[0\]\.autoAssignment\.rule: a value is missing after -eq/,
      );
  });

  it("checks auto-assignment rule syntax with the rule language by default", async () => {
    const result = await parseGovernance(
      validFiles([
        pkg(
          "extra.yaml",
          base("policies: [{ id: p2, name: A, autoAssignment: { rule: 'user.department -eq' } }]"),
        ),
      ]),
    );
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.match(
        formatted(result.problems).join("\n"),
        /extra\.yaml: policies\[0\]\.autoAssignment\.rule: /,
      );
  });

  it("checks user and group ids against the directory when one is given", async () => {
    const org = parseOrganization(
      "users:\n  - { id: u-owner, displayName: Owner, userPrincipalName: owner@contoso.com }\ngroups:\n  - { id: g-reports, displayName: Reports }\n",
      "org.yaml",
    );
    const result = await parseGovernance(validFiles(), {
      directory: new LocalDirectory(org, new MemoryMembershipStore()),
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const problems = formatted(result.problems);
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          "test/governance/fixtures/valid/packages/analyst.yaml: policies[0].approval.stages[0].fallbackApprovers[0].userIds[0]: no user with id u-it in the directory",
        ),
      ),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          "test/governance/fixtures/valid/packages/analyst.yaml: policies[0].approval.stages[1].primaryApprovers[0].groupId: no group with id g-security",
        ),
      ),
      problems.join("\n"),
    );
    assert.ok(!problems.some((m) => m.includes("u-owner")), "existing users pass");
  });
});
