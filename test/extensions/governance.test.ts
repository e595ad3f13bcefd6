import assert from "node:assert/strict";
import { parseGovernance } from "../../src/governance/load";
import { formatted, validFiles } from "../governance/support";

const CATALOGS = (extensions: string) => `catalogs:
  - id: general
    name: General
    owners: [u-owner]
    extensions:
${extensions}
  - id: partners
    name: Partners
    externallyVisible: true
`;

const TICKETING = `      - id: ticketing
        url: https://hooks.example.com/access
        secretName: TICKETING
        stages: [requestCreated, granted, removalScheduled]
        removalScheduledDaysBefore: 3
      - id: approver-bot
        url: https://approvals.example.com/ask
        secretName: APPROVER_BOT
        stages: []
        everyPolicy: false`;

const pkg = (policyExtra: string) => ({
  name: "governance/packages/extra.yaml",
  text: `name: Extra
catalogId: general
resources:
  - { kind: groupMember, groupId: g-1, displayName: One }
policies:
  - id: extra-members
    name: Members
    requestors: allMembers
    approval:
      stages:
        - primaryApprovers:
            - { kind: extension, extensionId: approver-bot }
            - { kind: users, userIds: [u-owner] }
${policyExtra}`,
});

async function parse(catalogs: string, policyExtra = "", allowLoopbackHttp = false) {
  const files = validFiles([pkg(policyExtra)]);
  files.catalogs = { name: "governance/catalogs.yaml", text: catalogs };
  return parseGovernance(files, { allowLoopbackHttp });
}

async function problemsOf(catalogs: string, policyExtra = "", allowLoopbackHttp = false) {
  const result = await parse(catalogs, policyExtra, allowLoopbackHttp);
  assert.equal(result.ok, false, "expected problems");
  return result.ok ? [] : formatted(result.problems);
}

describe("governance files: custom extensions", () => {
  it("maps declared extensions, a policy's pick and an approval extension with their defaults", async () => {
    const result = await parse(CATALOGS(TICKETING), "    extensions: [approver-bot]");
    assert.ok(result.ok, result.ok ? "" : formatted(result.problems).join("\n"));
    const general = result.config.catalogs.find((c) => c.id === "general")!;
    assert.deepEqual(general.extensions![0], {
      id: "ticketing",
      url: "https://hooks.example.com/access",
      secretName: "TICKETING",
      stages: ["requestCreated", "granted", "removalScheduled"],
      removalScheduledDaysBefore: 3,
      timeoutSeconds: 10,
      everyPolicy: true,
    });
    const policy = result.config.policies.find((p) => p.id === "extra-members")!;
    assert.deepEqual(policy.extensions, ["approver-bot"]);
    assert.equal(policy.approval.stages[0]!.extensionApprover, "approver-bot");
    assert.deepEqual(policy.approval.stages[0]!.primaryApprovers, [{ kind: "users", userIds: ["u-owner"] }]);
  });

  it("refuses plain http outside local mode, and allows it on loopback only in local mode", async () => {
    const http = TICKETING.replace("https://hooks.example.com/access", "http://127.0.0.1:8080/hook");
    const problems = await problemsOf(CATALOGS(http));
    assert.ok(
      problems.some((m) =>
        m.startsWith(
          "governance/catalogs.yaml: catalogs[0].extensions[0].url: the URL uses plain http — use an https URL",
        ),
      ),
      problems.join("\n"),
    );
    assert.ok((await parse(CATALOGS(http), "", true)).ok, "loopback http in local mode");
    const remote = TICKETING.replace("https://hooks.example.com/access", "http://hooks.example.com/a");
    const local = await problemsOf(CATALOGS(remote), "", true);
    assert.ok(
      local.some((m) => m.includes("extensions[0].url: the URL uses plain http")),
      local.join("\n"),
    );
  });

  it("refuses credentials in the URL, a secret in the file, an unknown stage and a duplicate id", async () => {
    const bad = `      - id: ticketing
        url: https://user:pw@hooks.example.com/access
        secretName: s3cr3t-value
        stages: [granted, approvedLater]
      - id: ticketing
        url: https://hooks.example.com/b
        secretName: OTHER
        stages: []`;
    const problems = await problemsOf(CATALOGS(bad).replace("approver-bot", "x"));
    const text = problems.join("\n");
    assert.match(text, /catalogs\[0\]\.extensions\[0\]\.secretName: .*EXTENSION_SECRET_TICKETING/);
    assert.match(text, /catalogs\[0\]\.extensions\[0\]\.stages\[1\]/);
    const withUser = TICKETING.replace("https://hooks", "https://user:pw@hooks");
    const userProblems = await problemsOf(CATALOGS(withUser));
    assert.ok(
      userProblems.some((m) => m.includes("extensions[0].url: the URL carries a user name or password")),
      userProblems.join("\n"),
    );
  });

  it("names a policy pick or a stage approver the package's catalog does not declare", async () => {
    const only = TICKETING.split("      - id: approver-bot")[0]!.trimEnd();
    const problems = await problemsOf(CATALOGS(only), "    extensions: [nope]");
    const text = problems.join("\n");
    assert.match(
      text,
      /packages\/extra\.yaml: policies\[0\]\.extensions\[0\]: catalog "general" declares no extension "nope"/,
    );
    assert.match(
      text,
      /policies\[0\]\.approval\.stages\[0\]\.primaryApprovers: catalog "general" declares no extension "approver-bot" to approve this stage — use one of catalog "general"'s extensions: ticketing/,
    );
  });

  it("names a duplicate extension id across catalogs", async () => {
    const dup = CATALOGS(TICKETING).replace(
      "    externallyVisible: true\n",
      "    externallyVisible: true\n    extensions:\n      - { id: ticketing, url: 'https://x.example.com', secretName: X, stages: [] }\n",
    );
    const problems = await problemsOf(dup);
    assert.ok(
      problems.some((m) =>
        m.includes(
          'catalogs[1].extensions[0].id: extension id "ticketing" is already used in catalog "general"',
        ),
      ),
      problems.join("\n"),
    );
  });
});
