import type { ApproverSpec, ResourceRole, UserId } from "../domain/model";
import type { ViewContext } from "../ports/read-models";
import { LIMITS, listOf, safeText } from "./text";

export type { ViewContext };

/** A person's display name, made safe; unknown ids show as "someone" rather than the raw id. */
export function nameOf(ctx: ViewContext, id: UserId | "system" | undefined): string {
  if (id === undefined) return "someone";
  if (id === "system") return "Access Desk";
  const user = ctx.people.get(id);
  return user ? safeText(user.displayName, LIMITS.name) : "someone";
}

export function namesOf(ctx: ViewContext, ids: UserId[], max = 5): string {
  const names = ids.slice(0, max).map((id) => nameOf(ctx, id));
  if (ids.length > max) names.push(`${ids.length - max} more`);
  return listOf(names);
}

export function packageName(ctx: ViewContext, packageId: string): string {
  return safeText(ctx.index.package(packageId)?.name ?? "an access package", LIMITS.title);
}

const ROLE_LABEL: Record<ResourceRole["kind"], string> = {
  groupMember: "Member",
  groupOwner: "Owner",
  appRole: "App role",
  siteRole: "Site role",
  teamMember: "Team member",
};

/** A resource role as a card line: { name, role }. */
export function resourceLine(role: ResourceRole): { name: string; role: string } {
  const name = safeText(role.displayName, LIMITS.title);
  if (role.kind === "appRole" || role.kind === "siteRole") {
    return { name, role: safeText(`${ROLE_LABEL[role.kind]}: ${role.roleName}`, LIMITS.name) };
  }
  return { name, role: ROLE_LABEL[role.kind] };
}

/** Who approves, in words, from the policy's declared approvers. */
export function approverSpecText(ctx: ViewContext, specs: ApproverSpec[]): string {
  const parts = specs.map((spec) => {
    switch (spec.kind) {
      case "manager":
        return spec.level === 1 ? "the requester's manager" : "the manager's manager";
      case "users":
        return namesOf(ctx, spec.userIds, 3);
      case "groupMembers":
        return "members of an approver group";
      case "sponsors":
        return "the organization's sponsors";
    }
  });
  return listOf(parts);
}

/** Every user id a view of these ids would name. */
export function idsToName(...lists: Array<Array<UserId | "system" | undefined>>): UserId[] {
  const ids = new Set<UserId>();
  for (const list of lists) for (const id of list) if (id && id !== "system") ids.add(id);
  return [...ids];
}
