import { graphError, notFound, type Reply } from "./graph-errors";
import type { RouteRequest } from "./routes";
import type { Tenant } from "./tenant";

const BIND = /\/appCatalogs\/teamsApps\/([^/]+)$/;

/**
 * `/users/{id}/teamwork/installedApps`: install (POST with `teamsApp@odata.bind`; 409 when already
 * installed, 403 for users in `appInstallRefused`), list with `$filter=teamsApp/id eq '...'`, and
 * `{installationId}/chat` (the 1:1 chat of the bot and the user).
 */
export function teamwork(t: Tenant, userId: string, rest: string[], req: RouteRequest): Reply {
  const [collection, installationId, chat] = rest;
  if (collection !== "installedApps") return graphError(400, "BadRequest", "Unsupported teamwork segment.");
  const apps = t.installedApps.get(userId) ?? new Map<string, string>();
  if (req.method === "POST" && !installationId) {
    const bind = String((req.body as Record<string, unknown> | undefined)?.["teamsApp@odata.bind"] ?? "");
    const catalogId = BIND.exec(bind)?.[1];
    if (!catalogId) return graphError(400, "BadRequest", "Invalid teamsApp@odata.bind.");
    if (t.appInstallRefused.has(userId))
      return graphError(
        403,
        "Forbidden",
        "Missing role permissions on the request. API requires one of 'TeamsAppInstallation.ReadWriteForUser.All'.",
      );
    if ([...apps.values()].includes(catalogId))
      return graphError(409, "Conflict", "App is already installed.");
    apps.set(`inst-${userId}-${catalogId}`, catalogId);
    t.installedApps.set(userId, apps);
    return { status: 201 };
  }
  if (req.method === "GET" && !installationId) {
    const wanted = /teamsApp\/id eq '([^']+)'/.exec(req.query.get("$filter") ?? "")?.[1];
    const value = [...apps]
      .filter(([, catalogId]) => !wanted || catalogId === wanted)
      .map(([id, catalogId]) => ({ id, teamsApp: { id: catalogId } }));
    return { status: 200, body: { value } };
  }
  if (req.method === "GET" && installationId && chat === "chat") {
    if (!apps.has(installationId)) return notFound(installationId);
    return { status: 200, body: { id: `19:${userId}_bot@unq.gbl.spaces`, chatType: "oneOnOne" } };
  }
  return graphError(400, "BadRequest", "Unsupported teamwork request.");
}
