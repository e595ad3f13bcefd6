import type {
  TenantObjectFacts,
  TenantObjectRefs,
  TenantObjects,
  TenantServicePrincipalFacts,
} from "../../ports/tenant-objects";
import { runBatched } from "./batch";
import { seg, withQuery } from "./odata";
import { GraphCallError, type GraphAnswer, type GraphCall, type GraphTransport } from "./transport";

interface GraphGroup {
  id: string;
  displayName?: string | null;
  groupTypes?: string[] | null;
  isAssignableToRole?: boolean | null;
}

/**
 * The objects governance files name, read from Graph in `$batch`es of 20 (User.Read.All,
 * GroupMember.Read.All, Application.Read.All, RoleManagement.Read.Directory for directory roles).
 * 404 means "no such object"; any other failure stops the check, since a missing permission must
 * not read as "everything is fine".
 */
export class GraphTenantObjects implements TenantObjects {
  constructor(private readonly transport: GraphTransport) {}

  async lookup(refs: TenantObjectRefs): Promise<TenantObjectFacts> {
    const facts: TenantObjectFacts = {
      users: new Map(),
      groups: new Map(),
      servicePrincipals: new Map(),
      directoryRoles: new Map(),
    };
    const users = await this.get<{
      id: string;
      displayName?: string;
      accountEnabled?: boolean;
      userType?: string;
    }>(
      refs.users.map((id) =>
        withQuery(`/users/${seg(id)}`, { $select: "id,displayName,accountEnabled,userType" }),
      ),
    );
    refs.users.forEach((id, i) => {
      const u = users[i];
      if (u)
        facts.users.set(id, {
          id: u.id,
          displayName: u.displayName ?? u.id,
          accountEnabled: u.accountEnabled ?? true,
          userType: u.userType === "Guest" ? "Guest" : "Member",
        });
    });
    const groups = await this.get<GraphGroup>(
      refs.groups.map((id) =>
        withQuery(`/groups/${seg(id)}`, { $select: "id,displayName,groupTypes,isAssignableToRole" }),
      ),
    );
    const missing: string[] = [];
    refs.groups.forEach((id, i) => {
      const g = groups[i];
      if (!g) return void missing.push(id);
      facts.groups.set(id, {
        id: g.id,
        displayName: g.displayName ?? g.id,
        dynamic: (g.groupTypes ?? []).includes("DynamicMembership"),
        roleAssignable: g.isAssignableToRole === true,
      });
    });
    // An id that is no group may be an activated directory role named by mistake.
    const roles = await this.get<{ id: string; displayName?: string }>(
      missing.map((id) => withQuery(`/directoryRoles/${seg(id)}`, { $select: "id,displayName" })),
    );
    missing.forEach((id, i) => {
      const r = roles[i];
      if (r) facts.directoryRoles.set(id, { id: r.id, displayName: r.displayName ?? r.id });
    });
    const approverGroups = refs.approverGroups.filter((id) => facts.groups.has(id));
    const members = await this.get<{ value?: unknown[] }>(
      approverGroups.map((id) =>
        withQuery(`/groups/${seg(id)}/transitiveMembers/microsoft.graph.user`, { $select: "id", $top: 1 }),
      ),
    );
    approverGroups.forEach((id, i) => {
      facts.groups.get(id)!.hasMembers = (members[i]?.value ?? []).length > 0;
    });
    const sps = await this.get<TenantServicePrincipalFacts>(
      refs.servicePrincipals.map((id) =>
        withQuery(`/servicePrincipals/${seg(id)}`, { $select: "id,displayName,appRoles" }),
      ),
    );
    refs.servicePrincipals.forEach((id, i) => {
      const sp = sps[i];
      if (sp)
        facts.servicePrincipals.set(id, {
          id: sp.id,
          displayName: sp.displayName ?? sp.id,
          appRoles: sp.appRoles ?? [],
        });
    });
    return facts;
  }

  /** GETs in `$batch`es; undefined for 404, an error for any other non-200 answer. */
  private async get<T>(urls: string[]): Promise<(T | undefined)[]> {
    if (urls.length === 0) return [];
    const calls: GraphCall[] = urls.map((url) => ({ method: "GET", url }));
    const answers: GraphAnswer[] = await runBatched(this.transport, calls);
    return answers.map((answer, i) => {
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw new GraphCallError(urls[i]!, answer);
      return answer.body as T;
    });
  }
}
