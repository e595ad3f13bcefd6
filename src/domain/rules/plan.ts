import type { DirectoryUser, UserId } from "../model";
import type { RuleAst } from "./ast";
import { evaluateRule } from "./evaluate";

export interface AutoAssignmentPlan {
  /** Users the rule matches who have no assignment yet, in directory order. */
  add: UserId[];
  /** Assigned users the rule no longer matches (or who left the directory), in assignment order. */
  remove: UserId[];
}

/**
 * The dry-run difference between who the rule selects and who holds the package through the
 * auto-assignment policy. `users` must be the whole directory: an assigned user missing from it
 * cannot match any more and is planned for removal. `memberOf` gives a user's groups among those
 * the rule names (see `ruleGroupIds`), for rules that read `user.memberOf`.
 */
export function planAutoAssignment(
  rule: RuleAst,
  users: readonly DirectoryUser[],
  currentlyAssignedUserIds: readonly UserId[],
  memberOf?: (userId: UserId) => ReadonlySet<string> | undefined,
): AutoAssignmentPlan {
  const matching = new Set(
    users.filter((user) => evaluateRule(rule, user, memberOf?.(user.id))).map((user) => user.id),
  );
  const assigned = new Set(currentlyAssignedUserIds);
  return {
    add: [...matching].filter((id) => !assigned.has(id)),
    remove: [...assigned].filter((id) => !matching.has(id)),
  };
}
