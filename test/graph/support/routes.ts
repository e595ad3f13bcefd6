import {
  alreadyExists,
  appRoleAlreadyAssigned,
  badRequest,
  graphError,
  notFound,
  type Reply,
} from "./graph-errors";
import { groupsDelta } from "./delta-route";
import { teamwork } from "./teamwork-route";
import { chatMessages } from "./chat-messages-route";
import { tenantRoutes } from "./tenant-routes";
import { matches, project } from "./odata-eval";
import type { Tenant, TenantGroup, TenantUser } from "./tenant";

export interface RouteRequest {
  method: string;
  /** Path below the version root, e.g. "/groups/g1/members/$ref". */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export interface RouteContext {
  tenant: Tenant;
  /** Absolute version root for nextLinks, e.g. "http://127.0.0.1:4000/v1.0". */
  versionRoot: string;
  defaultPageSize: number;
  /** Largest page served whatever `$top` asks, like Graph's per-collection caps. */
  maxPageSize: number;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent = (): Reply => ({ status: 204 });

/** The Graph routes Access Desk uses, over the in-memory tenant. */
export function route(req: RouteRequest, ctx: RouteContext): Reply {
  const parts = req.path.split("/").filter(Boolean).map(decodeURIComponent);
  const t = ctx.tenant;
  const [root, id, rel, sub, ref] = parts;
  const extra = tenantRoutes(req, ctx, parts) ?? chatMessages(req, ctx, parts);
  if (extra) return extra;
  if (root === "users") {
    if (t.signInActivityRefused && (req.query.get("$select") ?? "").includes("signInActivity"))
      return graphError(
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
      );
    if (!id) return req.method === "GET" ? list(t.users.values(), req, ctx) : badRequest("Unsupported");
    const user = t.findUser(id);
    if (!user) return notFound(id);
    if (req.method === "DELETE" && !rel) {
      t.users.delete(user.id);
      t.applied.push({ change: "userDeleted", targetId: user.id, principalId: user.id });
      return noContent();
    }
    if (!rel) return ok(expandUser(t, user, req));
    if (rel === "manager") {
      const manager = t.users.get(t.managers.get(user.id) ?? "");
      return manager
        ? ok(project({ "@odata.type": "#microsoft.graph.user", ...userJson(manager) }, req.query))
        : notFound("manager");
    }
    if (rel === "teamwork") return teamwork(t, user.id, parts.slice(3), req);
    if (rel === "directReports") return list(reportsOf(t, user.id), req, ctx);
    if (rel === "transitiveMemberOf") return list(t.transitiveGroupsOf(user.id).map(groupJson), req, ctx);
    if (rel === "appRoleAssignments") {
      const principals = new Set([
        user.id,
        ...[...t.groups.values()].filter((g) => g.members.has(user.id)).map((g) => g.id),
      ]);
      const all = [...t.servicePrincipals.values()].flatMap((sp) =>
        sp.assignments.filter((a) => principals.has(a.principalId)),
      );
      return list(all, req, ctx);
    }
  }
  if (root === "groups" && id === "delta") return groupsDelta(t, req, ctx);
  if (root === "groups" && id) {
    const group = t.groups.get(id);
    if (!group) return notFound(id);
    if (!rel) return ok(project(groupJson(group), req.query));
    if (rel === "members" || rel === "owners") return links(t, group, rel, sub, ref, req, ctx);
    if (rel === "transitiveMembers") return list(t.transitiveUsersOf(group.id).map(userJson), req, ctx);
  }
  if (root === "servicePrincipals" && id && rel === "appRoleAssignedTo") {
    const sp = t.servicePrincipals.get(id);
    if (!sp) return notFound(id);
    if (req.method === "GET" && !sub) return list(sp.assignments, req, ctx);
    if (req.method === "POST" && !sub) {
      const body = req.body as { principalId?: string; resourceId?: string; appRoleId?: string };
      if (!body?.principalId || body.resourceId !== sp.id)
        return badRequest("Invalid resourceId or principalId.");
      if (!t.users.has(body.principalId) && !t.groups.has(body.principalId))
        return notFound(body.principalId);
      if (!sp.appRoles.some((r) => r.id === body.appRoleId))
        return badRequest("Permission being assigned was not found on application.");
      if (sp.assignments.some((a) => a.principalId === body.principalId && a.appRoleId === body.appRoleId))
        return appRoleAlreadyAssigned();
      const assignment = t.assignAppRole(sp, body.principalId, body.appRoleId ?? "");
      t.applied.push({
        change: "appRoleAssigned",
        targetId: `${sp.id}/${assignment.appRoleId}`,
        principalId: assignment.principalId,
      });
      return { status: 201, body: assignment };
    }
    if (req.method === "DELETE" && sub) {
      const index = sp.assignments.findIndex((a) => a.id === sub);
      if (index < 0) return notFound(sub);
      const [removed] = sp.assignments.splice(index, 1);
      t.applied.push({
        change: "appRoleRemoved",
        targetId: `${sp.id}/${removed.appRoleId}`,
        principalId: removed.principalId,
      });
      return noContent();
    }
  }
  return graphError(400, "BadRequest", `Resource not found for the segment '${parts.at(-1) ?? ""}'.`);
}

/** members/owners: list, `$ref` add, `{id}/$ref` remove. A DELETE without `/$ref` is refused. */
function links(
  t: Tenant,
  group: TenantGroup,
  rel: "members" | "owners",
  sub: string | undefined,
  ref: string | undefined,
  req: RouteRequest,
  ctx: RouteContext,
): Reply {
  const set = rel === "members" ? group.members : group.owners;
  const change = rel === "members" ? "member" : "owner";
  if (req.method === "GET" && (!sub || sub.startsWith("microsoft.graph."))) {
    if (req.query.has("$count") && req.headers["consistencylevel"] !== "eventual") {
      return badRequest("$count is not currently supported without ConsistencyLevel: eventual.");
    }
    const objects = [...set].map((m) => t.users.get(m) ?? t.groups.get(m)).filter((o) => o !== undefined);
    return list(
      objects.map((o) => ("members" in o ? groupJson(o) : userJson(o))),
      req,
      ctx,
    );
  }
  if (req.method === "POST" && sub === "$ref") {
    const odataId = String((req.body as Record<string, unknown>)?.["@odata.id"] ?? "");
    const principalId = odataId.split("/").pop() ?? "";
    if (!/\/directoryObjects\//.test(odataId))
      return badRequest("Invalid URL format specified in @odata.id.");
    if (!t.users.has(principalId) && !t.groups.has(principalId)) return notFound(principalId);
    if (set.has(principalId)) return alreadyExists(rel);
    set.add(principalId);
    t.applied.push({ change: `${change}Added`, targetId: group.id, principalId });
    return noContent();
  }
  if (req.method === "DELETE" && sub && ref === "$ref") {
    if (!set.has(sub)) return notFound(sub);
    set.delete(sub);
    t.applied.push({ change: `${change}Removed`, targetId: group.id, principalId: sub });
    return noContent();
  }
  if (req.method === "DELETE")
    return graphError(
      405,
      "Request_BadRequest",
      "Specified HTTP method is not allowed for the request target.",
    );
  return badRequest("Unsupported link operation.");
}

function reportsOf(t: Tenant, managerId: string): Record<string, unknown>[] {
  return [...t.managers.entries()]
    .filter(([, m]) => m === managerId)
    .map(([userId]) => userJson(t.users.get(userId)!));
}

export function userJson(u: TenantUser): Record<string, unknown> {
  const { lastSignInDateTime, ...rest } = u;
  return { ...rest, signInActivity: lastSignInDateTime ? { lastSignInDateTime } : null };
}

export function groupJson(g: TenantGroup): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.group",
    id: g.id,
    displayName: g.displayName,
    description: g.description ?? null,
    groupTypes: g.groupTypes ?? [],
    isAssignableToRole: g.isAssignableToRole ?? null,
    membershipRule: g.membershipRule ?? null,
  };
}

function expandUser(t: Tenant, user: TenantUser, req: RouteRequest): Record<string, unknown> {
  const json = project(userJson(user), req.query);
  const managerId = t.managers.get(user.id);
  if ((req.query.get("$expand") ?? "").startsWith("manager") && managerId) json.manager = { id: managerId };
  return json;
}

/** A filtered, projected, paged collection; `$top` sets the page size, as in Graph. */
export function list(source: Iterable<object>, req: RouteRequest, ctx: RouteContext): Reply {
  const search = req.query.get("$search");
  if (search && req.headers["consistencylevel"] !== "eventual") {
    return badRequest(
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  }
  const filtered = [...source].filter((o) =>
    matches(o as Record<string, unknown>, req.query.get("$filter"), search),
  );
  const size = Math.min(Number(req.query.get("$top") ?? ctx.defaultPageSize), ctx.maxPageSize);
  const skip = Number(req.query.get("$skiptoken") ?? 0);
  const page = filtered.slice(skip, skip + size).map((o) => project(o as Record<string, unknown>, req.query));
  const body: Record<string, unknown> = { "@odata.context": `${ctx.versionRoot}/$metadata`, value: page };
  if (req.query.has("$count")) body["@odata.count"] = filtered.length;
  if (skip + size < filtered.length) {
    const next = new URLSearchParams(req.query);
    next.set("$skiptoken", String(skip + size));
    body["@odata.nextLink"] = `${ctx.versionRoot}${req.path}?${next.toString()}`;
  }
  return ok(body);
}
