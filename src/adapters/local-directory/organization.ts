import { readFileSync } from "node:fs";
import type { DirectoryGroup, DirectoryUser } from "../../domain/model";
import { compileSchema, parseYaml, validateShape, type ParsedFile } from "../../governance/files";
import { ConfigValidationError, pointerToPath, type ConfigProblem } from "../../governance/problems";
import { appRoleKey, groupMemberKey, groupOwnerKey, type Membership } from "./membership-store";
import { organizationSchema } from "./organization-schema";

export interface OrganizationGroup extends DirectoryGroup {
  /** Groups nested directly in this one. */
  memberGroupIds: string[];
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
}

export interface ServicePrincipal {
  id: string;
  displayName: string;
  appRoles: AppRole[];
}

/** The local directory's content as declared in the organisation file. */
export interface Organization {
  tenant: { name: string; domain: string };
  users: DirectoryUser[];
  groups: OrganizationGroup[];
  /** Initial group memberships, ownerships and app role assignments. */
  memberships: Membership[];
  servicePrincipals: ServicePrincipal[];
}

interface RawOrganization {
  tenant?: { name?: string; domain?: string };
  users: (Omit<DirectoryUser, "userType" | "accountEnabled"> &
    Partial<Pick<DirectoryUser, "userType" | "accountEnabled">>)[];
  groups?: (DirectoryGroup & { members?: string[]; owners?: string[]; memberGroups?: string[] })[];
  servicePrincipals?: (ServicePrincipal & { assignments?: { userId: string; appRoleId: string }[] })[];
}

const validate = compileSchema(organizationSchema);

/** Reads and validates an organisation file; throws ConfigValidationError naming file, path and line. */
export function loadOrganization(path: string): Organization {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigValidationError([
      { file: path, path: "", message: `cannot be read (${(e as Error).message})`, hint: "check the path" },
    ]);
  }
  return parseOrganization(text, path);
}

export function parseOrganization(text: string, fileName: string): Organization {
  const { file, problems } = parseYaml({ name: fileName, text });
  if (!file) throw new ConfigValidationError(problems);
  const shape = validateShape(file, validate);
  if (shape.length > 0) throw new ConfigValidationError(shape);
  const raw = file.data as RawOrganization;
  const refs = checkReferences(raw, file);
  if (refs.length > 0) throw new ConfigValidationError(refs);

  const memberships: Membership[] = [];
  for (const g of raw.groups ?? []) {
    for (const u of g.members ?? []) memberships.push({ resource: groupMemberKey(g.id), userId: u });
    for (const u of g.owners ?? []) memberships.push({ resource: groupOwnerKey(g.id), userId: u });
  }
  for (const sp of raw.servicePrincipals ?? []) {
    for (const a of sp.assignments ?? [])
      memberships.push({ resource: appRoleKey(sp.id, a.appRoleId), userId: a.userId });
  }
  return {
    tenant: { name: raw.tenant?.name ?? "Contoso", domain: raw.tenant?.domain ?? "contoso.com" },
    users: raw.users.map((u) => ({
      ...u,
      userType: u.userType ?? "Member",
      accountEnabled: u.accountEnabled ?? true,
    })),
    groups: (raw.groups ?? []).map((g) => ({
      id: g.id,
      displayName: g.displayName,
      ...(g.description ? { description: g.description } : {}),
      memberGroupIds: g.memberGroups ?? [],
    })),
    memberships,
    servicePrincipals: (raw.servicePrincipals ?? []).map((sp) => ({
      id: sp.id,
      displayName: sp.displayName,
      appRoles: sp.appRoles,
    })),
  };
}

function checkReferences(raw: RawOrganization, file: ParsedFile): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const at = (segs: (string | number)[], message: string, hint: string) =>
    out.push({ file: file.name, path: pointerToPath(segs), message, hint, ...(file.locate(segs) ?? {}) });
  const userIds = new Set<string>();
  const upns = new Set<string>();
  raw.users.forEach((u, i) => {
    if (userIds.has(u.id))
      at(["users", i, "id"], `user id ${u.id} is used twice`, "give each user its own id");
    userIds.add(u.id);
    const upn = u.userPrincipalName.toLowerCase();
    if (upns.has(upn))
      at(["users", i, "userPrincipalName"], `${u.userPrincipalName} is used twice`, "UPNs must be unique");
    upns.add(upn);
  });
  const byId = new Map(raw.users.map((u) => [u.id, u]));
  raw.users.forEach((u, i) => {
    if (u.managerId === undefined) return;
    if (!byId.has(u.managerId))
      return at(
        ["users", i, "managerId"],
        `no user with id ${u.managerId}`,
        "use the id of a declared user or remove managerId",
      );
    // Walk up the chain: a cycle would make "manager at level 2" loop forever.
    const seen = new Set([u.id]);
    for (let m = byId.get(u.managerId); m; m = m.managerId ? byId.get(m.managerId) : undefined) {
      if (seen.has(m.id))
        return at(["users", i, "managerId"], "the manager chain loops back to this user", "break the cycle");
      seen.add(m.id);
    }
  });
  const groups = raw.groups ?? [];
  const groupIds = new Set<string>();
  groups.forEach((g, i) => {
    if (groupIds.has(g.id))
      at(["groups", i, "id"], `group id ${g.id} is used twice`, "give each group its own id");
    groupIds.add(g.id);
  });
  groups.forEach((g, i) => {
    for (const field of ["members", "owners"] as const) {
      (g[field] ?? []).forEach((id, j) => {
        if (!userIds.has(id))
          at(["groups", i, field, j], `no user with id ${id}`, "use the id of a declared user");
      });
    }
    (g.memberGroups ?? []).forEach((id, j) => {
      if (!groupIds.has(id))
        at(["groups", i, "memberGroups", j], `no group with id ${id}`, "use the id of a declared group");
      else if (nestsBack(groups, id, g.id))
        at(
          ["groups", i, "memberGroups", j],
          "nesting this group makes a cycle",
          "remove one of the nestings",
        );
    });
  });
  const spIds = new Set<string>();
  (raw.servicePrincipals ?? []).forEach((sp, i) => {
    if (spIds.has(sp.id))
      at(
        ["servicePrincipals", i, "id"],
        `service principal id ${sp.id} is used twice`,
        "give each its own id",
      );
    spIds.add(sp.id);
    const roles = new Set(sp.appRoles.map((r) => r.id));
    (sp.assignments ?? []).forEach((a, j) => {
      if (!userIds.has(a.userId))
        at(
          ["servicePrincipals", i, "assignments", j, "userId"],
          `no user with id ${a.userId}`,
          "use the id of a declared user",
        );
      if (!roles.has(a.appRoleId))
        at(
          ["servicePrincipals", i, "assignments", j, "appRoleId"],
          `no app role ${a.appRoleId} on ${sp.displayName}`,
          "use one of its appRoles ids",
        );
    });
  });
  return out;
}

/** Whether `target` is reachable from `start` through nested groups. */
function nestsBack(
  groups: { id: string; memberGroups?: string[] }[],
  start: string,
  target: string,
): boolean {
  const nested = new Map(groups.map((g) => [g.id, g.memberGroups ?? []]));
  const stack = [start];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(nested.get(id) ?? []));
  }
  return false;
}
