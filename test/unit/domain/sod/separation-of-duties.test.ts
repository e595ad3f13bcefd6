import { strict as assert } from "node:assert";
import {
  checkSeparationOfDuties,
  findSodConflicts,
  hasIncompatiblePackages,
  type SodContext,
} from "../../../../src/domain/sod/separation-of-duties";
import type { AccessPackage } from "../../../../src/domain/model";
import { accessPackage, submitted } from "../support/fixtures";
import { assignment } from "../support/assignments";

const approver = accessPackage({ id: "pkg-approver", name: "Payment Approver" });
const payer = accessPackage({
  id: "pkg-payer",
  name: "Payment Creator",
  incompatiblePackageIds: ["pkg-approver"],
});
const packagesById = new Map<string, AccessPackage>([approver, payer].map((p) => [p.id, p]));
const ctx = (patch: Partial<SodContext> = {}): SodContext => ({
  assignments: [],
  requests: [],
  groupIds: [],
  packagesById,
  ...patch,
});

describe("separation of duties", () => {
  const table: Array<[string, AccessPackage, Partial<SodContext>, string[]]> = [
    ["finds nothing for a user without conflicting access", payer, {}, []],
    [
      "conflicts with an active assignment the package lists",
      payer,
      { assignments: [assignment({ packageId: "pkg-approver" })] },
      ["assignment:pkg-approver"],
    ],
    [
      "conflicts in the other direction too",
      approver,
      { assignments: [assignment({ packageId: "pkg-payer" })] },
      ["assignment:pkg-payer"],
    ],
    [
      "ignores removed assignments",
      payer,
      { assignments: [assignment({ packageId: "pkg-approver", state: "removed" })] },
      [],
    ],
    [
      "conflicts with an open request",
      payer,
      { requests: [submitted({ packageId: "pkg-approver", state: "pendingApproval" })] },
      ["request:pkg-approver"],
    ],
    [
      "ignores denied requests",
      payer,
      { requests: [submitted({ packageId: "pkg-approver", state: "denied" })] },
      [],
    ],
    [
      "conflicts with membership of an incompatible group",
      accessPackage({ incompatibleGroupIds: ["grp-auditors"] }),
      { groupIds: ["grp-auditors"] },
      ["group:grp-auditors"],
    ],
  ];
  for (const [name, pkg, patch, expected] of table) {
    it(name, () => {
      const found = findSodConflicts(pkg, ctx(patch)).map(
        (c) => `${c.kind}:${c.kind === "group" ? c.groupId : c.packageId}`,
      );
      assert.deepEqual(found, expected);
    });
  }

  it("knows which packages another package can conflict with, either way round", () => {
    const loner = accessPackage({ id: "pkg-loner", incompatiblePackageIds: ["pkg-loner"] });
    const all = new Map([...packagesById, [loner.id, loner]]);
    assert.equal(hasIncompatiblePackages(payer, all), true);
    assert.equal(hasIncompatiblePackages(approver, all), true);
    assert.equal(hasIncompatiblePackages(loner, all), false);
  });

  it("explains the conflict by name with SOD.CONFLICT", () => {
    const result = checkSeparationOfDuties(
      payer,
      ctx({ assignments: [assignment({ packageId: "pkg-approver" })] }),
    );
    assert.ok(!result.ok);
    assert.equal(result.error.code, "SOD.CONFLICT");
    assert.match(result.error.message, /Payment Approver/);
    assert.equal(result.error.details?.conflictWith, "pkg-approver");
  });

  it("names the group with the given display name", () => {
    const pkg = accessPackage({ incompatibleGroupIds: ["grp-auditors"] });
    const result = checkSeparationOfDuties(
      pkg,
      ctx({ groupIds: ["grp-auditors"] }),
      () => "Internal Auditors",
    );
    assert.ok(!result.ok);
    assert.match(result.error.message, /Internal Auditors/);
  });
});
