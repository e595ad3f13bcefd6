import type { UserId } from "../../domain/model";
import { ruleGroupIds, type RuleAst } from "../../domain/rules";
import type { Directory } from "../../ports/directory";

/** A user's groups among those a rule names (lower-case ids); undefined when the rule names none. */
export type MembershipLookup = ((userId: UserId) => ReadonlySet<string>) | undefined;

/**
 * The memberships a `user.memberOf` rule needs, read once per evaluation: the transitive members
 * of each group the rule names (one paged read per group), not every user's groups one by one.
 * In Graph mode `getGroupMemberIds` reads `/groups/{id}/transitiveMembers` with `$top=999`.
 */
export async function readRuleMemberships(
  directory: Pick<Directory, "getGroupMemberIds">,
  rule: RuleAst,
): Promise<MembershipLookup> {
  const groupIds = ruleGroupIds(rule);
  if (groupIds.length === 0) return undefined;
  const members = await Promise.all(groupIds.map((id) => directory.getGroupMemberIds(id)));
  const byUser = new Map<UserId, Set<string>>();
  groupIds.forEach((groupId, i) => {
    for (const userId of members[i] ?? []) {
      const set = byUser.get(userId) ?? new Set<string>();
      set.add(groupId);
      byUser.set(userId, set);
    }
  });
  const none: ReadonlySet<string> = new Set();
  return (userId) => byUser.get(userId) ?? none;
}
