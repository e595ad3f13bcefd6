import assert from "node:assert/strict";
import { loadOrganization, parseOrganization } from "../../src/adapters/local-directory";
import { ConfigValidationError, formatProblem } from "../../src/governance/problems";

function problems(text: string): string[] {
  try {
    parseOrganization(text, "demo/organization.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigValidationError);
    return e.problems.map(formatProblem);
  }
  assert.fail("expected the file to be refused");
}

const user = (id: string, extra = "") =>
  `  - { id: ${id}, displayName: User ${id}, userPrincipalName: ${id}@contoso.com${extra} }\n`;

describe("organisation file validation", () => {
  it("names a manager that does not exist", () => {
    const out = problems(`users:\n${user("u1")}${user("u2", ", managerId: u9")}`);
    assert.deepEqual(out, [
      "demo/organization.yaml: users[1].managerId: no user with id u9 — use the id of a declared user or remove managerId (line 3, column 83)",
    ]);
  });

  it("refuses a manager chain that loops", () => {
    const out = problems(`users:\n${user("u1", ", managerId: u2")}${user("u2", ", managerId: u1")}`);
    assert.ok(
      out.some((m) =>
        m.startsWith("demo/organization.yaml: users[0].managerId: the manager chain loops back"),
      ),
      out.join("\n"),
    );
  });

  it("names duplicate ids and UPNs, unknown members and nested-group cycles", () => {
    const out = problems(`users:
${user("u1")}${user("u1")}
groups:
  - { id: g1, displayName: One, members: [u1, u7], memberGroups: [g2] }
  - { id: g2, displayName: Two, memberGroups: [g1] }
`);
    assert.ok(
      out.some((m) => m.startsWith("demo/organization.yaml: users[1].id: user id u1 is used twice")),
      out.join("\n"),
    );
    assert.ok(
      out.some((m) =>
        m.startsWith("demo/organization.yaml: users[1].userPrincipalName: u1@contoso.com is used twice"),
      ),
    );
    assert.ok(
      out.some((m) => m.startsWith("demo/organization.yaml: groups[0].members[1]: no user with id u7")),
    );
    assert.ok(
      out.some((m) =>
        m.startsWith("demo/organization.yaml: groups[0].memberGroups[0]: nesting this group makes a cycle"),
      ),
    );
  });

  it("names shape errors with path and hint", () => {
    const out = problems(`users:\n${user("u1", ", userType: Partner, lastSignInAt: yesterday")}`);
    assert.ok(
      out.some((m) =>
        m.startsWith(
          'demo/organization.yaml: users[0].userType: "Partner" is not allowed — use one of: "Member", "Guest"',
        ),
      ),
      out.join("\n"),
    );
    assert.ok(
      out.some((m) =>
        m.startsWith(
          "demo/organization.yaml: users[0].lastSignInAt: has the wrong form — write a UTC instant",
        ),
      ),
    );
  });

  it("names an app role assignment to a role the service principal does not have", () => {
    const out = problems(`users:\n${user("u1")}servicePrincipals:
  - id: sp1
    displayName: Power BI
    appRoles: [{ id: r1, value: Viewer, displayName: Viewer }]
    assignments: [{ userId: u1, appRoleId: r2 }]
`);
    assert.ok(
      out.some((m) =>
        m.startsWith(
          "demo/organization.yaml: servicePrincipals[0].assignments[0].appRoleId: no app role r2 on Power BI",
        ),
      ),
      out.join("\n"),
    );
  });

  it("gives file, line and column for broken YAML, and says when the file is missing", () => {
    const out = problems("users:\n  - id: u1\n   displayName: x\n");
    assert.match(out[0]!, /^demo\/organization\.yaml: is not valid YAML: .*\(line 3, column \d+\)$/);
    assert.throws(() => loadOrganization("demo/nope.yaml"), /demo\/nope\.yaml: cannot be read/);
  });

  it("loads the demo organisation with initial memberships and app roles", () => {
    const org = loadOrganization("demo/organization.yaml");
    assert.ok(org.memberships.some((m) => m.resource.startsWith("app:")));
    assert.ok(org.groups.some((g) => g.memberGroupIds.length > 0));
    assert.equal(org.tenant.domain, "contoso.com");
  });
});
