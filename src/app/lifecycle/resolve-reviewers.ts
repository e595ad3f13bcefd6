import type { GovernanceIndex } from "../../domain/governance-index";
import type { ApproverSpec, GroupId, ReviewSettings, ReviewerSpec, UserId } from "../../domain/model";
import type { AppDeps } from "../deps";
import { sponsorsOf } from "../external/sponsors";

/** Group members looked up once per review start, not once per item. */
export type GroupCache = Map<GroupId, Promise<UserId[]>>;

async function resolveSpec(
  deps: AppDeps,
  index: GovernanceIndex,
  spec: ReviewerSpec,
  userId: UserId,
  groups: GroupCache,
): Promise<UserId[]> {
  switch (spec.kind) {
    case "self":
      return [userId];
    case "manager": {
      const manager = await deps.directory.getManager(userId, spec.level);
      return manager && manager.accountEnabled ? [manager.id] : [];
    }
    case "users":
      return spec.userIds;
    case "groupMembers": {
      if (!groups.has(spec.groupId)) groups.set(spec.groupId, deps.directory.getGroupMemberIds(spec.groupId));
      return groups.get(spec.groupId)!;
    }
    case "sponsors": {
      const user = await deps.directory.getUser(userId);
      return user ? sponsorsOf(deps, index, user, spec.which) : [];
    }
  }
}

async function resolveAll(
  deps: AppDeps,
  index: GovernanceIndex,
  specs: readonly ReviewerSpec[],
  userId: UserId,
  groups: GroupCache,
): Promise<UserId[]> {
  const found = new Set<UserId>();
  for (const spec of specs) {
    for (const id of await resolveSpec(deps, index, spec, userId, groups)) {
      // Nobody reviews their own access unless the policy asks for self-review.
      if (id !== userId || spec.kind === "self") found.add(id);
    }
  }
  return [...found];
}

/**
 * The reviewers of one user's access, fixed when the review starts. When the reviewers resolve to
 * nobody (no manager, empty group) the fallback reviewers are used; if they too resolve to nobody
 * the item has no reviewer and follows the policy's "if no response" outcome.
 */
export async function resolveReviewers(
  deps: AppDeps,
  index: GovernanceIndex,
  settings: Pick<ReviewSettings, "reviewers" | "fallbackReviewers">,
  userId: UserId,
  groups: GroupCache = new Map(),
): Promise<UserId[]> {
  const primary = await resolveAll(deps, index, settings.reviewers, userId, groups);
  if (primary.length > 0) return primary;
  const fallback: readonly ApproverSpec[] = settings.fallbackReviewers;
  return resolveAll(deps, index, fallback, userId, groups);
}

/** The fallback reviewers of one user's access, resolved now (a review's escalation). */
export function resolveFallbackReviewers(
  deps: AppDeps,
  index: GovernanceIndex,
  settings: Pick<ReviewSettings, "fallbackReviewers">,
  userId: UserId,
  groups: GroupCache = new Map(),
): Promise<UserId[]> {
  return resolveAll(deps, index, settings.fallbackReviewers, userId, groups);
}
