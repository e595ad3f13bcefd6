import type { AccessPackage, AccessRequest, Assignment, GroupId } from "../model";
import { ACTIVE_ASSIGNMENT_STATES, OPEN_REQUEST_STATES } from "../model";
import { domainError } from "../errors";
import { err, ok, type Result } from "../result";

export type SodConflict =
  | { kind: "assignment"; packageId: string; packageName: string; assignmentId: string }
  | { kind: "request"; packageId: string; packageName: string; requestId: string }
  | { kind: "group"; groupId: GroupId };

export interface SodContext {
  /** The user's assignments and requests (any state: only active/open ones count). */
  assignments: Assignment[];
  requests: AccessRequest[];
  groupIds: GroupId[];
  packagesById: ReadonlyMap<string, AccessPackage>;
}

/** Incompatibility is symmetric: either package may declare it. */
function incompatible(
  pkg: AccessPackage,
  otherId: string,
  packagesById: ReadonlyMap<string, AccessPackage>,
): boolean {
  if (otherId === pkg.id) return false;
  return (
    pkg.incompatiblePackageIds.includes(otherId) ||
    !!packagesById.get(otherId)?.incompatiblePackageIds.includes(pkg.id)
  );
}

/**
 * Whether any package is incompatible with this one (either way round, as `incompatible` reads it):
 * if none, the person's assignments and requests cannot conflict with it, only their groups.
 */
export function hasIncompatiblePackages(
  pkg: AccessPackage,
  packagesById: ReadonlyMap<string, AccessPackage>,
): boolean {
  const others = [...pkg.incompatiblePackageIds, ...packagesById.keys()];
  return others.some((id) => incompatible(pkg, id, packagesById));
}

/** Everything the user holds, asks for, or belongs to that the package is incompatible with. */
export function findSodConflicts(pkg: AccessPackage, ctx: SodContext): SodConflict[] {
  const nameOf = (id: string) => ctx.packagesById.get(id)?.name ?? id;
  const conflicts: SodConflict[] = [];
  for (const a of ctx.assignments) {
    if (ACTIVE_ASSIGNMENT_STATES.includes(a.state) && incompatible(pkg, a.packageId, ctx.packagesById)) {
      conflicts.push({
        kind: "assignment",
        packageId: a.packageId,
        packageName: nameOf(a.packageId),
        assignmentId: a.id,
      });
    }
  }
  for (const r of ctx.requests) {
    if (OPEN_REQUEST_STATES.includes(r.state) && incompatible(pkg, r.packageId, ctx.packagesById)) {
      conflicts.push({
        kind: "request",
        packageId: r.packageId,
        packageName: nameOf(r.packageId),
        requestId: r.id,
      });
    }
  }
  for (const g of pkg.incompatibleGroupIds) {
    if (ctx.groupIds.includes(g)) conflicts.push({ kind: "group", groupId: g });
  }
  return conflicts;
}

const describe = (c: SodConflict, groupName: (id: GroupId) => string): string => {
  switch (c.kind) {
    case "assignment":
      return `you already have "${c.packageName}"`;
    case "request":
      return `you have an open request for "${c.packageName}"`;
    case "group":
      return `you are a member of the group "${groupName(c.groupId)}"`;
  }
};

/** Refuses the package with a plain explanation naming what it conflicts with. */
export function checkSeparationOfDuties(
  pkg: AccessPackage,
  ctx: SodContext,
  groupName: (id: GroupId) => string = (id) => id,
): Result<void> {
  const conflicts = findSodConflicts(pkg, ctx);
  if (conflicts.length === 0) return ok(undefined);
  const first = conflicts[0]!;
  const reasons = conflicts.map((c) => describe(c, groupName)).join("; ");
  return err(
    domainError("SOD.CONFLICT", `"${pkg.name}" can't be combined with what you have: ${reasons}.`, {
      details: {
        conflictKind: first.kind,
        conflictWith: first.kind === "group" ? first.groupId : first.packageId,
        conflictName: first.kind === "group" ? groupName(first.groupId) : first.packageName,
      },
    }),
  );
}
