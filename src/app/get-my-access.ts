import type { AppDeps } from "./deps";
import type { AccessRequest, Assignment, UserId } from "../domain/model";
import { accessMayRemain } from "../domain/assignment/removal";
import { loadIndex } from "./shared/context";

export interface MyAccess {
  /** Requests by or for the user, newest first. */
  requests: AccessRequest[];
  /** Access the user has now (being delivered included, ended but not yet taken away included). */
  assignments: Assignment[];
  /** Requests waiting for the user's decision. */
  pendingApprovals: AccessRequest[];
  /** Names of the packages mentioned above, for display. */
  packageNames: Record<string, string>;
}

export async function getMyAccess(deps: AppDeps, userId: UserId, limit = 20): Promise<MyAccess> {
  const [index, requests, assignments, pendingApprovals] = await Promise.all([
    loadIndex(deps),
    deps.requests.listForUser(userId, limit),
    deps.assignments.listForUser(userId),
    deps.requests.listPendingForApprover(userId),
  ]);
  const active = assignments.filter(accessMayRemain);
  const packageNames: Record<string, string> = {};
  for (const { packageId } of [...requests, ...active, ...pendingApprovals]) {
    packageNames[packageId] = index.package(packageId)?.name ?? packageId;
  }
  return { requests, assignments: active, pendingApprovals, packageNames };
}
