import assert from "node:assert/strict";
import { counterpartPackageIds, newSodViolations, sodViolations } from "../../../../src/domain/sod/report";
import type { AccessPackage } from "../../../../src/domain/model";

const pkg = (id: string, patch: Partial<AccessPackage> = {}): AccessPackage => ({
  id,
  catalogId: "sales",
  name: id,
  description: "",
  hidden: false,
  resourceRoles: [],
  incompatiblePackageIds: [],
  incompatibleGroupIds: [],
  keywords: [],
  ...patch,
});

describe("separation of duties report", () => {
  const emea = pkg("emea", { incompatiblePackageIds: ["amer"] });
  const amer = pkg("amer");
  const apac = pkg("apac", { incompatiblePackageIds: ["emea"], incompatibleGroupIds: ["g-auditors"] });
  const all = [emea, amer, apac];
  const packagesById = new Map(all.map((p) => [p.id, p]));

  it("reports each incompatible pair once per person, whichever side declared it", () => {
    const violations = sodViolations({
      packages: all,
      packagesById,
      holders: new Map([
        ["emea", ["ann", "bob"]],
        ["amer", ["ann"]],
        ["apac", ["bob", "cid"]],
      ]),
      groupMembers: new Map([["g-auditors", ["cid", "dan"]]]),
    });
    assert.deepEqual(violations, [
      { kind: "packages", userId: "ann", packageId: "amer", otherPackageId: "emea" },
      { kind: "packages", userId: "bob", packageId: "apac", otherPackageId: "emea" },
      { kind: "group", userId: "cid", packageId: "apac", groupId: "g-auditors" },
    ]);
  });

  it("finds nothing when nobody holds both", () => {
    const holders = new Map([
      ["emea", ["ann"]],
      ["amer", ["bob"]],
    ]);
    assert.deepEqual(sodViolations({ packages: all, packagesById, holders, groupMembers: new Map() }), []);
  });

  it("names the packages outside the report whose holders it needs", () => {
    assert.deepEqual(counterpartPackageIds([amer], all).sort(), ["emea"]);
    assert.deepEqual(counterpartPackageIds([apac], all).sort(), ["emea"]);
  });
});

describe("separation of duties in a plan", () => {
  it("reports only what the change makes a violation", () => {
    const a = pkg("a");
    const b = pkg("b");
    const c = pkg("c", { incompatiblePackageIds: ["a"] });
    const holders = new Map([
      ["a", ["ann"]],
      ["b", ["ann"]],
      ["c", ["ann"]],
    ]);
    const input = (packages: AccessPackage[]) => ({
      packages,
      packagesById: new Map(packages.map((p) => [p.id, p])),
      holders,
      groupMembers: new Map(),
    });
    const after = [{ ...a, incompatiblePackageIds: ["b"] }, b, c];
    assert.deepEqual(newSodViolations(input([a, b, c]), input(after)), [
      { kind: "packages", userId: "ann", packageId: "a", otherPackageId: "b" },
    ]);
  });
});
