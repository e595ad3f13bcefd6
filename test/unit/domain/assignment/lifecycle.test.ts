import { strict as assert } from "node:assert";
import {
  expireAssignment,
  extendAssignment,
  removeAssignment,
  type RemovedBy,
} from "../../../../src/domain/assignment/lifecycle";
import { recordRevocation, revocationPlan } from "../../../../src/domain/assignment/revocation";
import type { AccessPackage, AssignmentPolicy, ResourceRole } from "../../../../src/domain/model";
import { accessPackage, NOW, twoStagePolicy } from "../support/fixtures";
import { assignment, bi, granted, sap } from "../support/assignments";

const policy = (lifecycle: Partial<AssignmentPolicy["lifecycle"]> = {}): AssignmentPolicy => {
  const p = twoStagePolicy();
  return { ...p, lifecycle: { ...p.lifecycle, ...lifecycle } };
};
const team: ResourceRole = { kind: "teamMember", groupId: "grp-bi", displayName: "BI team" };
const packages = new Map<string, AccessPackage>([
  ["pkg-analyst", accessPackage()],
  ["pkg-bi-team", accessPackage({ id: "pkg-bi-team", resourceRoles: [team] })],
]);

describe("revocationPlan", () => {
  const names = (plan: { role: ResourceRole }[]) => plan.map((p) => p.role.displayName);
  const table: Array<
    [string, Parameters<typeof revocationPlan>[0], Parameters<typeof revocationPlan>[1], string[]]
  > = [
    ["revokes everything the assignment granted", assignment(), [], ["BI users", "SAP"]],
    [
      "never revokes a role the user held before",
      assignment({ resources: [granted(bi, { heldBefore: true }), granted(sap)] }),
      [],
      ["SAP"],
    ],
    [
      "never revokes a role another active assignment grants",
      assignment(),
      [assignment({ id: "asg-2", packageId: "pkg-other", resources: [granted(sap)] })],
      ["BI users"],
    ],
    [
      "treats a team of the same group as the same grant",
      assignment(),
      [assignment({ id: "asg-3", packageId: "pkg-bi-team", resources: [] })],
      ["SAP"],
    ],
    [
      "ignores other assignments that ended",
      assignment(),
      [assignment({ id: "asg-2", state: "expired", resources: [granted(sap)] })],
      ["BI users", "SAP"],
    ],
    [
      "ignores assignments of other users",
      assignment(),
      [assignment({ id: "asg-2", userId: "bob", resources: [granted(sap)] })],
      ["BI users", "SAP"],
    ],
    [
      "skips resources that were never granted",
      assignment({ resources: [granted(bi, { status: "failed" }), granted(sap)] }),
      [],
      ["SAP"],
    ],
  ];
  for (const [name, a, others, expected] of table) {
    it(name, () => assert.deepEqual(names(revocationPlan(a, others, packages)), expected));
  }

  it("marks revoked resources and keeps failed ones granted with the error", () => {
    const a = assignment();
    const plan = revocationPlan(a, [], packages);
    const next = recordRevocation(
      a,
      plan,
      [{ status: "done" }, { status: "failed", retryable: true, error: "503" }],
      NOW,
    );
    assert.deepEqual(
      next.resources.map((r) => [r.status, r.lastError]),
      [
        ["revoked", undefined],
        ["granted", "503"],
      ],
    );
  });
});

describe("removeAssignment", () => {
  const table: Array<[string, RemovedBy, AssignmentPolicy, string | null]> = [
    [
      "lets the user remove their own access when the policy allows",
      { kind: "user", userId: "alice" },
      policy(),
      null,
    ],
    [
      "refuses self-removal when the policy does not allow it",
      { kind: "user", userId: "alice" },
      policy({ selfRemoval: false }),
      "ASSIGNMENT.REMOVAL_NOT_ALLOWED",
    ],
    [
      "refuses removing someone else's access as a user",
      { kind: "user", userId: "bob" },
      policy(),
      "ASSIGNMENT.REMOVAL_NOT_ALLOWED",
    ],
    [
      "lets an administrator remove it",
      { kind: "admin", userId: "olivia" },
      policy({ selfRemoval: false }),
      null,
    ],
    ["lets the system remove it", { kind: "system" }, policy({ selfRemoval: false }), null],
  ];
  for (const [name, by, p, code] of table) {
    it(name, () => {
      const result = removeAssignment(assignment(), by, { now: NOW, policy: p, reason: "Done" });
      if (code) assert.equal(!result.ok && result.error.code, code);
      else assert.equal(result.ok && result.value.next.state, "removed");
    });
  }

  it("refuses an assignment that already ended", () => {
    const result = removeAssignment(
      assignment({ state: "expired" }),
      { kind: "system" },
      { now: NOW, policy: policy(), reason: "" },
    );
    assert.equal(!result.ok && result.error.code, "ASSIGNMENT.NOT_ACTIVE");
  });
});

describe("extendAssignment", () => {
  const at = "2026-12-20T10:00:00.000Z";
  it("moves the end to the policy's expiry counted from now and re-arms reminders", () => {
    const result = extendAssignment(assignment({ remindersSent: ["336"] }), { now: at, policy: policy() });
    assert.ok(result.ok);
    assert.equal(result.value.next.endAt, "2027-01-19T10:00:00.000Z");
    assert.deepEqual(result.value.next.remindersSent, []);
    assert.deepEqual(
      result.value.deadlines.map((d) => d.kind),
      ["expiryReminder", "expiryReminder", "expiry"],
    );
  });

  it("caps a requested end by the expiry rule", () => {
    const result = extendAssignment(assignment(), {
      now: at,
      policy: policy(),
      requestedEndAt: "2027-12-01T00:00:00.000Z",
    });
    assert.equal(result.ok && result.value.next.endAt, "2027-01-19T10:00:00.000Z");
  });

  const refusals: Array<[string, Parameters<typeof extendAssignment>[0], AssignmentPolicy, string]> = [
    [
      "refuses when the policy does not allow extension",
      assignment(),
      policy({ extension: { allowed: false, requiresApproval: false } }),
      "ASSIGNMENT.EXTENSION_NOT_ALLOWED",
    ],
    [
      "refuses access that never expires",
      assignment({ endAt: undefined }),
      policy(),
      "ASSIGNMENT.EXTENSION_NOT_ALLOWED",
    ],
    [
      "refuses an end that is not later",
      assignment({ endAt: "2027-06-01T00:00:00.000Z" }),
      policy(),
      "ASSIGNMENT.EXTENSION_NOT_ALLOWED",
    ],
    ["refuses removed access", assignment({ state: "removed" }), policy(), "ASSIGNMENT.NOT_ACTIVE"],
  ];
  for (const [name, a, p, code] of refusals) {
    it(name, () => {
      const result = extendAssignment(a, { now: at, policy: p });
      assert.equal(!result.ok && result.error.code, code);
    });
  }
});

describe("expireAssignment", () => {
  it("expires access whose end has come", () => {
    const result = expireAssignment(assignment(), "2026-12-23T10:00:00.000Z");
    assert.equal(result.ok && result.value.next.state, "expired");
  });
  it("does nothing before the end (the end may have been extended)", () => {
    const result = expireAssignment(assignment(), "2026-12-23T09:59:59.000Z");
    assert.equal(result.ok && result.value.changed, false);
  });
});
