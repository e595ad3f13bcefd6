import type { AccessPackage, GroupId, UserId } from "../model";

/** Someone who holds, today, two things a package declares incompatible. */
export type SodViolation =
  | { kind: "packages"; userId: UserId; packageId: string; otherPackageId: string }
  | { kind: "group"; userId: UserId; packageId: string; groupId: GroupId };

export interface SodReportInput {
  /** The packages the report covers (the catalogs the reader may see). */
  packages: readonly AccessPackage[];
  /** Every package by id: incompatibility may be declared on either side. */
  packagesById: ReadonlyMap<string, AccessPackage>;
  /** Active holders per package id, for the covered packages and their incompatible ones. */
  holders: ReadonlyMap<string, readonly UserId[]>;
  /** Members per incompatible group id. */
  groupMembers: ReadonlyMap<GroupId, readonly UserId[]>;
}

/** The packages, besides these, whose holders the report must know: those incompatible with them. */
export function counterpartPackageIds(
  packages: readonly AccessPackage[],
  all: readonly AccessPackage[],
): string[] {
  const ids = new Set<string>();
  for (const pkg of packages) {
    pkg.incompatiblePackageIds.forEach((id) => ids.add(id));
    for (const other of all) if (other.incompatiblePackageIds.includes(pkg.id)) ids.add(other.id);
  }
  return [...ids];
}

/**
 * People who hold incompatible packages, or a package and a group it excludes, today. Each pair of
 * packages is reported once per person (whichever side declared it), ordered by package then person.
 */
export function sodViolations(input: SodReportInput): SodViolation[] {
  const found: SodViolation[] = [];
  const seen = new Set<string>();
  const covered = [...input.packages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const pkg of covered) {
    const holders = new Set(input.holders.get(pkg.id) ?? []);
    const others = new Set(pkg.incompatiblePackageIds);
    for (const other of input.packagesById.values())
      if (other.incompatiblePackageIds.includes(pkg.id)) others.add(other.id);
    others.delete(pkg.id);
    for (const otherId of [...others].sort()) {
      for (const userId of input.holders.get(otherId) ?? []) {
        if (!holders.has(userId)) continue;
        const [a, b] = pkg.id < otherId ? [pkg.id, otherId] : [otherId, pkg.id];
        const key = `${userId}|${a}|${b}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ kind: "packages", userId, packageId: a, otherPackageId: b });
      }
    }
    for (const groupId of pkg.incompatibleGroupIds) {
      const members = new Set(input.groupMembers.get(groupId) ?? []);
      for (const userId of [...holders].sort())
        if (members.has(userId)) found.push({ kind: "group", userId, packageId: pkg.id, groupId });
    }
  }
  return found;
}

const violationKey = (v: SodViolation): string =>
  v.kind === "packages"
    ? `p|${v.userId}|${v.packageId}|${v.otherPackageId}`
    : `g|${v.userId}|${v.packageId}|${v.groupId}`;

/**
 * What a configuration change would newly make a violation: the violations under `after` that were
 * not violations under `before` (an incompatibility or an excluded group being added), for the
 * same holders. What already was a violation is the report's business, not the plan's.
 */
export function newSodViolations(before: SodReportInput, after: SodReportInput): SodViolation[] {
  const existing = new Set(sodViolations(before).map(violationKey));
  return sodViolations(after).filter((v) => !existing.has(violationKey(v)));
}
