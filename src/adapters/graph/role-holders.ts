import type { ResourceRole, UserId } from "../../domain/model";
import { grantKey } from "../../domain/assignment/revocation";
import type { Logger } from "../../ports/logger";
import { odataString } from "./odata";
import { targetOf } from "./role-calls";
import type { GraphTransport } from "./transport";

/** Graph accepts at most this many `id eq` terms in one `/groups/delta` filter. */
export const DELTA_IDS_PER_QUERY = 50;

const USER = "#microsoft.graph.user";

interface DeltaGroup {
  id: string;
  "members@delta"?: Array<{ "@odata.type"?: string; id: string; "@removed"?: unknown }>;
}

/**
 * Direct user members of groups from a delta round: `GET /groups/delta?$filter=id eq '…' or …
 * &$select=members`, following `@odata.nextLink` to the `@odata.deltaLink`. A round without a
 * token returns every member; Graph may spread one group's members over several pages.
 * Nested groups are not users and are left out.
 */
export async function groupMembersByDelta(
  transport: GraphTransport,
  groupIds: string[],
): Promise<Map<string, UserId[]>> {
  const members = new Map<string, Set<UserId>>(groupIds.map((id) => [id, new Set()]));
  for (let i = 0; i < groupIds.length; i += DELTA_IDS_PER_QUERY) {
    const chunk = groupIds.slice(i, i + DELTA_IDS_PER_QUERY);
    const filter = chunk.map((id) => `id eq ${odataString(id)}`).join(" or ");
    const url = `/groups/delta?$filter=${encodeURIComponent(filter)}&$select=members`;
    for (const group of await transport.getAll<DeltaGroup>(url)) {
      const set = members.get(group.id);
      if (!set) continue;
      for (const m of group["members@delta"] ?? []) {
        if (m["@removed"] !== undefined) set.delete(m.id);
        else if (m["@odata.type"] === undefined || m["@odata.type"] === USER) set.add(m.id);
      }
    }
  }
  return new Map([...members].map(([id, set]) => [id, [...set]]));
}

/**
 * Who holds each role directly, by grant key: group members through one delta round, owners from
 * `/groups/{id}/owners`, app roles from `/servicePrincipals/{id}/appRoleAssignedTo` (users only).
 * A read that fails leaves its roles out, so nothing is decided on them.
 */
export async function roleHolders(
  transport: GraphTransport,
  roles: ResourceRole[],
  logger?: Logger,
): Promise<Map<string, UserId[]>> {
  const found = new Map<string, UserId[]>();
  const memberGroups = new Map<string, string>();
  for (const role of roles) {
    const key = grantKey(role);
    if (found.has(key) || memberGroups.has(key)) continue;
    const target = targetOf(role);
    try {
      if (target.kind === "appRole") {
        const url = `/servicePrincipals/${encodeURIComponent(target.servicePrincipalId)}/appRoleAssignedTo?$select=principalId,principalType,appRoleId`;
        const all = await transport.getAll<{
          principalId: string;
          principalType?: string;
          appRoleId: string;
        }>(url);
        found.set(
          key,
          all
            .filter((a) => a.principalType === "User" && a.appRoleId === target.appRoleId)
            .map((a) => a.principalId),
        );
      } else if (target.kind === "groupOwner") {
        const url = `/groups/${encodeURIComponent(target.groupId)}/owners/microsoft.graph.user?$select=id`;
        found.set(
          key,
          (await transport.getAll<{ id: string }>(url)).map((u) => u.id),
        );
      } else memberGroups.set(key, target.groupId);
    } catch (error) {
      logger?.warn({ err: error, role: key }, "could not read who holds a role; it is not reconciled");
    }
  }
  try {
    const byGroup = await groupMembersByDelta(transport, [...new Set(memberGroups.values())]);
    for (const [key, groupId] of memberGroups) found.set(key, byGroup.get(groupId) ?? []);
  } catch (error) {
    logger?.warn({ err: error }, "could not read group members through delta; they are not reconciled");
  }
  return found;
}
