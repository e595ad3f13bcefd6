import type { AccessPackage, Assignment, Instant, ResourceRole } from "../model";
import { holdsAccess } from "./failed-grants";
import type { GrantOutcome } from "./delivery";

/**
 * What a role grants in the directory. Teams and sites are granted through their group, so a team
 * membership and a member role on the same group are one grant: removing one removes the other.
 */
export function grantKey(role: ResourceRole): string {
  switch (role.kind) {
    case "groupMember":
    case "teamMember":
      return `member:${role.groupId}`;
    case "groupOwner":
      return `owner:${role.groupId}`;
    case "siteRole":
      return role.roleName.toLowerCase() === "owner" ? `owner:${role.groupId}` : `member:${role.groupId}`;
    case "appRole":
      return `appRole:${role.servicePrincipalId}:${role.appRoleId}`;
  }
}

export interface PlannedRevocation {
  /** Index of the resource in `assignment.resources`. */
  index: number;
  role: ResourceRole;
}

/**
 * Roles to take away when the assignment ends: only what it granted, never a role the user held
 * before it, never one another active assignment of the user still grants (or is still granting;
 * a delivery that gave up with nothing granted grants nothing).
 */
export function revocationPlan(
  assignment: Assignment,
  otherAssignments: Assignment[],
  packagesById: ReadonlyMap<string, AccessPackage>,
): PlannedRevocation[] {
  const stillGranted = new Set<string>();
  for (const other of otherAssignments) {
    if (other.id === assignment.id || other.userId !== assignment.userId) continue;
    if (!holdsAccess(other)) continue;
    for (const r of other.resources) if (r.status !== "revoked") stillGranted.add(grantKey(r.role));
    for (const role of packagesById.get(other.packageId)?.resourceRoles ?? [])
      stillGranted.add(grantKey(role));
  }
  return assignment.resources.flatMap((r, index) =>
    r.status === "granted" && !r.heldBefore && !stillGranted.has(grantKey(r.role))
      ? [{ index, role: r.role }]
      : [],
  );
}

/** Records revoke outcomes; a failed revoke keeps the resource "granted" with the error, to retry. */
export function recordRevocation(
  assignment: Assignment,
  plan: PlannedRevocation[],
  outcomes: GrantOutcome[],
  now: Instant,
): Assignment {
  const resources = assignment.resources.map((r) => ({ ...r }));
  plan.forEach((p, k) => {
    const outcome = outcomes[k];
    const r = resources[p.index];
    if (!outcome || !r) return;
    if (outcome.status === "failed") resources[p.index] = { ...r, lastError: outcome.error };
    else
      resources[p.index] = {
        role: r.role,
        status: "revoked",
        attempts: r.attempts,
        heldBefore: r.heldBefore,
      };
  });
  return { ...assignment, resources, updatedAt: now, revision: assignment.revision + 1 };
}
