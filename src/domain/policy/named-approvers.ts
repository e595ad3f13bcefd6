import type { AssignmentPolicy, UserId } from "../model";

/**
 * The people a package card or request form names as approvers: the users listed by `kind: users`
 * in each stage's primary approvers (managers, groups and sponsors are described, not named).
 */
export function namedApproverIds(policies: readonly AssignmentPolicy[]): UserId[] {
  const ids = new Set<UserId>();
  for (const policy of policies)
    for (const stage of policy.approval.stages)
      for (const spec of stage.primaryApprovers)
        if (spec.kind === "users") spec.userIds.forEach((id) => ids.add(id));
  return [...ids];
}
