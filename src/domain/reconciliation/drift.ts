import type { GovernanceIndex } from "../governance-index";
import type { Assignment, ResourceRole, UserId } from "../model";
import { holdsAccess } from "../assignment/failed-grants";
import { removalIncomplete } from "../assignment/removal";
import { grantKey } from "../assignment/revocation";

/** A grant Access Desk made that is gone from the directory: someone removed it outside Access Desk. */
export interface MissingGrant {
  assignmentId: string;
  userId: UserId;
  /** Index of the resource in the assignment. */
  index: number;
}

/** How one resource role differs from the assignments that grant it. */
export interface ResourceDrift {
  /** The role's grant key (`member:<groupId>`, `owner:<groupId>`, `appRole:<sp>:<role>`). */
  key: string;
  role: ResourceRole;
  /** Packages that include the role: their catalogs' owners are told. */
  packageIds: string[];
  /** Holders no assignment grants: added outside any access package. */
  outOfBand: UserId[];
  missing: MissingGrant[];
  /** Every policy of every package granting the role opted in to removing out-of-band members. */
  removeOutOfBand: boolean;
}

/** The roles the access packages grant, by grant key, with the packages that include each. */
export function managedRoles(
  index: GovernanceIndex,
): Map<string, { role: ResourceRole; packageIds: string[] }> {
  const roles = new Map<string, { role: ResourceRole; packageIds: string[] }>();
  for (const pkg of index.packages()) {
    for (const role of pkg.resourceRoles) {
      const entry = roles.get(grantKey(role)) ?? { role, packageIds: [] };
      if (!entry.packageIds.includes(pkg.id)) entry.packageIds.push(pkg.id);
      roles.set(grantKey(role), entry);
    }
  }
  return roles;
}

const removesOutOfBand = (index: GovernanceIndex, packageIds: string[]): boolean =>
  packageIds.every((id) => {
    const policies = index.policiesOfPackage(id);
    return policies.length > 0 && policies.every((p) => p.lifecycle.outOfBandMembers === "remove");
  });

/**
 * Compares who holds each managed role (`holders`, by grant key; roles left out were not read and
 * are not judged) with the assignments that grant it. In band: the user's assignment that holds
 * access lists the role, granted or on its way. Someone whose ended assignment is still being
 * removed is neither out of band nor missing: the removal deals with them.
 */
export function findDrift(
  index: GovernanceIndex,
  assignments: Assignment[],
  holders: ReadonlyMap<string, UserId[]>,
): ResourceDrift[] {
  const drifts: ResourceDrift[] = [];
  for (const [key, { role, packageIds }] of managedRoles(index)) {
    const held = holders.get(key);
    if (!held) continue;
    const holding = new Set(held);
    const inBand = new Set<UserId>();
    const missing: MissingGrant[] = [];
    for (const a of assignments) {
      const indexes = a.resources.flatMap((r, i) => (grantKey(r.role) === key ? [i] : []));
      if (indexes.length === 0) continue;
      if (removalIncomplete(a)) inBand.add(a.userId);
      if (!holdsAccess(a)) continue;
      for (const i of indexes) {
        const r = a.resources[i]!;
        if (r.status === "revoked") continue;
        inBand.add(a.userId);
        if (r.status === "granted" && !holding.has(a.userId))
          missing.push({ assignmentId: a.id, userId: a.userId, index: i });
      }
    }
    const outOfBand = held.filter((u) => !inBand.has(u)).sort();
    if (outOfBand.length === 0 && missing.length === 0) continue;
    drifts.push({
      key,
      role,
      packageIds,
      outOfBand,
      missing,
      removeOutOfBand: removesOutOfBand(index, packageIds),
    });
  }
  return drifts;
}
