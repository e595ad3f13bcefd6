import assert from "node:assert/strict";
import { RecentConflicts, conflictsAhead } from "../../../src/app/queries/approval-card";
import { GovernanceIndex } from "../../../src/domain/governance-index";
import type { AccessPackage, AccessRequest } from "../../../src/domain/model";
import { beginStage } from "../../../src/domain/request/stages";
import type { SodConflict } from "../../../src/domain/sod/separation-of-duties";
import type { AssignmentStore, RequestStore } from "../../../src/ports/stores";
import type { Directory } from "../../../src/ports/directory";
import { NOW, accessPackage, config, submitted, twoStagePolicy } from "../domain/support/fixtures";

const payer = accessPackage({ id: "pkg-payer", name: "Payment Creator" });
const approver = accessPackage({ id: "pkg-approver", name: "Payment Approver" });

/** Alice's request for `pkg`, waiting for mark at stage 1. */
function pending(pkg: AccessPackage): AccessRequest {
  const begun = beginStage(
    submitted({ packageId: pkg.id }),
    twoStagePolicy({ packageId: pkg.id }),
    { primary: ["mark"], fallback: [], escalation: [] },
    NOW,
  );
  assert.ok(begun.ok);
  return begun.value.next;
}

/** Sources whose reads are counted; alice has an open request for the payment approver role. */
function sources() {
  const reads = { requests: 0, assignments: 0, groups: 0 };
  const other = { ...pending(approver), id: "req-other" };
  const requests = {
    listForUser: async () => ((reads.requests += 1), [other]),
  } as unknown as RequestStore;
  const assignments = {
    listForUser: async () => ((reads.assignments += 1), []),
  } as unknown as AssignmentStore;
  const directory = {
    getUserGroupIds: async () => ((reads.groups += 1), ["grp-auditors"]),
  } as unknown as Directory;
  return { reads, requests, assignments, directory, recentConflicts: new RecentConflicts() };
}

/** The conflicts the card of the saved request finds, as loaded ahead of its decision. */
async function ahead(s: ReturnType<typeof sources>, packages: AccessPackage[], request: AccessRequest) {
  const index = new GovernanceIndex(config({ packages }));
  conflictsAhead(s, index, request)(request);
  const kinds = (c: SodConflict) => `${c.kind}:${c.kind === "group" ? c.groupId : c.packageId}`;
  const found = await s.recentConflicts.get(request, () => assert.fail("loaded ahead"));
  return found.map(kinds);
}

describe("an approval card's separation-of-duties conflicts read only what can conflict", () => {
  it("lists neither the person's requests nor assignments for a package nothing is incompatible with", async () => {
    const s = sources();
    const pkg = { ...payer, incompatibleGroupIds: ["grp-auditors"] };
    assert.deepEqual(await ahead(s, [pkg, approver], pending(pkg)), ["group:grp-auditors"]);
    assert.deepEqual(s.reads, { requests: 0, assignments: 0, groups: 1 });
  });

  it("reads no groups for a package without incompatible groups", async () => {
    const s = sources();
    assert.deepEqual(await ahead(s, [payer, approver], pending(payer)), []);
    assert.deepEqual(s.reads, { requests: 0, assignments: 0, groups: 0 });
  });

  const declared: Array<[string, AccessPackage[]]> = [
    ["the package", [{ ...payer, incompatiblePackageIds: [approver.id] }, approver]],
    ["the other package", [payer, { ...approver, incompatiblePackageIds: [payer.id] }]],
  ];
  for (const [name, packages] of declared)
    it(`lists both when ${name} declares the incompatibility`, async () => {
      const s = sources();
      assert.deepEqual(await ahead(s, packages, pending(packages[0]!)), ["request:pkg-approver"]);
      assert.deepEqual(s.reads, { requests: 1, assignments: 1, groups: 0 });
    });
});
