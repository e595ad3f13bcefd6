import type { AppDeps } from "../deps";
import type { GovernanceIndex } from "../../domain/governance-index";
import type { AccessPackage, AccessRequest, Assignment } from "../../domain/model";
import type { Person } from "../../domain/policy/eligibility";
import type { Result } from "../../domain/result";
import { checkSeparationOfDuties } from "../../domain/sod/separation-of-duties";

/**
 * Separation of duties for `target` and `pkg`, with conflicting groups named as the directory
 * names them, so the refusal reads plainly.
 */
export async function separationOfDuties(
  deps: Pick<AppDeps, "directory">,
  index: GovernanceIndex,
  pkg: AccessPackage,
  target: Person,
  held: { assignments: Assignment[]; requests: AccessRequest[] },
): Promise<Result<void>> {
  const groupNames = new Map<string, string>();
  for (const g of pkg.incompatibleGroupIds.filter((id) => target.groupIds.includes(id))) {
    groupNames.set(g, (await deps.directory.getGroup(g))?.displayName ?? g);
  }
  return checkSeparationOfDuties(
    pkg,
    {
      assignments: held.assignments,
      requests: held.requests.filter((r) => r.targetUserId === target.user.id),
      groupIds: target.groupIds,
      packagesById: index.packageMap(),
    },
    (id) => groupNames.get(id) ?? id,
  );
}
