import { ACTIVE_ASSIGNMENT_STATES, type GovernanceConfig, type GroupId } from "../../domain/model";
import { counterpartPackageIds, newSodViolations, type SodViolation } from "../../domain/sod/report";
import type { AppDeps } from "../deps";

/** A current holder who would break a separation of duties rule the declared files add. */
export type SodPreview = SodViolation & { userName: string; groupName?: string };

/**
 * `governance plan`'s dry run of separation of duties: the people who hold, today, what a newly
 * declared incompatibility (between packages, or with a group) forbids. Reads the active holders of
 * the packages concerned and the excluded groups' members; writes nothing.
 */
export async function previewSodViolations(
  deps: Pick<AppDeps, "directory" | "assignments">,
  current: GovernanceConfig,
  desired: GovernanceConfig,
): Promise<SodPreview[]> {
  const declaring = (config: GovernanceConfig) =>
    config.packages.filter((p) => p.incompatiblePackageIds.length > 0 || p.incompatibleGroupIds.length > 0);
  const packageIds = [
    ...new Set(
      [current, desired].flatMap((config) => {
        const d = declaring(config);
        return [...d.map((p) => p.id), ...counterpartPackageIds(d, config.packages)];
      }),
    ),
  ];
  const groupIds: GroupId[] = [
    ...new Set([current, desired].flatMap((c) => c.packages.flatMap((p) => p.incompatibleGroupIds))),
  ];
  const [lists, members] = await Promise.all([
    Promise.all(packageIds.map((id) => deps.assignments.listForPackage(id))),
    Promise.all(groupIds.map((id) => deps.directory.getGroupMemberIds(id).catch(() => []))),
  ]);
  const holders = new Map(
    packageIds.map((id, i) => [
      id,
      lists[i]!.filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state)).map((a) => a.userId),
    ]),
  );
  const groupMembers = new Map(groupIds.map((id, i) => [id, members[i]!]));
  const input = (config: GovernanceConfig) => ({
    packages: config.packages,
    packagesById: new Map(config.packages.map((p) => [p.id, p])),
    holders,
    groupMembers,
  });
  const found = newSodViolations(input(current), input(desired));
  const users = new Map(
    await Promise.all(
      [...new Set(found.map((v) => v.userId))].map(
        async (id) =>
          [id, (await deps.directory.getUser(id).catch(() => undefined))?.displayName ?? id] as const,
      ),
    ),
  );
  const groups = new Map(
    await Promise.all(
      [...new Set(found.flatMap((v) => (v.kind === "group" ? [v.groupId] : [])))].map(
        async (id) =>
          [id, (await deps.directory.getGroup(id).catch(() => undefined))?.displayName ?? id] as const,
      ),
    ),
  );
  return found.map((v) => ({
    ...v,
    userName: users.get(v.userId) ?? v.userId,
    ...(v.kind === "group" ? { groupName: groups.get(v.groupId) ?? v.groupId } : {}),
  }));
}
