import type { ResourceRole, UserId } from "../../domain/model";
import { seg, withQuery } from "./odata";
import type { GraphCall } from "./transport";

/** What a resource role is in Graph terms: sites and Teams are granted through their group. */
export type GraphTarget =
  | { kind: "groupMember"; groupId: string }
  | { kind: "groupOwner"; groupId: string }
  | { kind: "appRole"; servicePrincipalId: string; appRoleId: string };

export function targetOf(role: ResourceRole): GraphTarget {
  switch (role.kind) {
    case "groupMember":
    case "teamMember":
      return { kind: "groupMember", groupId: role.groupId };
    case "groupOwner":
      return { kind: "groupOwner", groupId: role.groupId };
    case "siteRole":
      // A group-connected site's owners are the group's owners; every other site role is membership.
      return role.roleName.toLowerCase() === "owner"
        ? { kind: "groupOwner", groupId: role.groupId }
        : { kind: "groupMember", groupId: role.groupId };
    case "appRole":
      return { kind: "appRole", servicePrincipalId: role.servicePrincipalId, appRoleId: role.appRoleId };
  }
}

const relation = (target: { kind: "groupMember" | "groupOwner" }) =>
  target.kind === "groupMember" ? "members" : "owners";

export function grantCall(userId: UserId, target: GraphTarget): GraphCall {
  if (target.kind === "appRole") {
    return {
      method: "POST",
      url: `/servicePrincipals/${seg(target.servicePrincipalId)}/appRoleAssignedTo`,
      body: { principalId: userId, resourceId: target.servicePrincipalId, appRoleId: target.appRoleId },
    };
  }
  return {
    method: "POST",
    url: `/groups/${seg(target.groupId)}/${relation(target)}/$ref`,
    body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` },
  };
}

/**
 * Removal of a member or owner. Always `/$ref`: it removes the link; without it an app that can
 * write users would delete the user object itself.
 */
export function removeLinkCall(
  userId: UserId,
  target: { kind: "groupMember" | "groupOwner"; groupId: string },
): GraphCall {
  return { method: "DELETE", url: `/groups/${seg(target.groupId)}/${relation(target)}/${seg(userId)}/$ref` };
}

export function removeAppRoleCall(servicePrincipalId: string, assignmentId: string): GraphCall {
  return {
    method: "DELETE",
    url: `/servicePrincipals/${seg(servicePrincipalId)}/appRoleAssignedTo/${seg(assignmentId)}`,
  };
}

/** The user's assignments on one resource app (the list also holds those granted to the user's groups). */
export function appRoleAssignmentsCall(userId: UserId, servicePrincipalId: string): GraphCall {
  return {
    method: "GET",
    url: withQuery(`/users/${seg(userId)}/appRoleAssignments`, {
      $filter: `resourceId eq ${servicePrincipalId}`,
    }),
  };
}

export interface AppRoleAssignment {
  id: string;
  principalId: string;
  resourceId: string;
  appRoleId: string;
}

export function directAssignment(
  body: unknown,
  userId: UserId,
  appRoleId: string,
): AppRoleAssignment | undefined {
  const list = (body as { value?: AppRoleAssignment[] } | undefined)?.value ?? [];
  return list.find((a) => a.principalId === userId && a.appRoleId === appRoleId);
}

/** Direct membership or ownership of one user (advanced query: needs ConsistencyLevel eventual). */
export function linkCheckCall(
  userId: UserId,
  target: { kind: "groupMember" | "groupOwner"; groupId: string },
): GraphCall {
  return {
    method: "GET",
    url: withQuery(`/groups/${seg(target.groupId)}/${relation(target)}`, {
      $filter: `id eq '${userId.replace(/'/g, "''")}'`,
      $count: "true",
      $select: "id",
    }),
    headers: { ConsistencyLevel: "eventual" },
  };
}
