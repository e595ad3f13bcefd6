import { badRequest, type Reply } from "./graph-errors";
import type { RouteContext, RouteRequest } from "./routes";
import type { Tenant } from "./tenant";

const ID_TERM = /id eq '((?:[^']|'')*)'/g;

/**
 * `GET /groups/delta?$filter=id eq '…' or …&$select=members`, as Graph answers a round without a
 * token: each group with its members in `members@delta` (users and nested groups by type), one
 * group's members spread over pages of at most `defaultPageSize`, and an `@odata.deltaLink` on the
 * last page. Graph refuses more than 50 ids in one filter, and so does this.
 */
export function groupsDelta(t: Tenant, req: RouteRequest, ctx: RouteContext): Reply {
  if (req.method !== "GET") return badRequest("Unsupported delta operation.");
  const ids = [...(req.query.get("$filter") ?? "").matchAll(ID_TERM)].map((m) => m[1]!.replace(/''/g, "'"));
  if (ids.length > 50) return badRequest("Too many ids in the filter clause; the limit is 50.");
  const select = (req.query.get("$select") ?? "").split(",");
  const groups = ids.length > 0 ? ids.flatMap((id) => t.groups.get(id) ?? []) : [...t.groups.values()];
  // One entry per page-sized chunk of a group's members (a group with none still appears once).
  const entries = groups.flatMap((g) => {
    const members = [...g.members].map((id) => ({
      "@odata.type": t.groups.has(id) ? "#microsoft.graph.group" : "#microsoft.graph.user",
      id,
    }));
    const chunks: (typeof members)[] = [];
    for (let i = 0; i < members.length; i += ctx.defaultPageSize)
      chunks.push(members.slice(i, i + ctx.defaultPageSize));
    return (chunks.length > 0 ? chunks : [[]]).map((chunk) => ({
      id: g.id,
      ...(select.includes("displayName") ? { displayName: g.displayName } : {}),
      ...(select.includes("members") ? { "members@delta": chunk } : {}),
    }));
  });
  const skip = Number(req.query.get("$skiptoken") ?? 0);
  const page = entries.slice(skip, skip + 1);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.versionRoot}/$metadata#groups`,
    value: page,
  };
  if (skip + 1 < entries.length) {
    const next = new URLSearchParams(req.query);
    next.set("$skiptoken", String(skip + 1));
    body["@odata.nextLink"] = `${ctx.versionRoot}/groups/delta?${next.toString()}`;
  } else body["@odata.deltaLink"] = `${ctx.versionRoot}/groups/delta?$deltatoken=${t.groups.size}`;
  return { status: 200, body };
}
