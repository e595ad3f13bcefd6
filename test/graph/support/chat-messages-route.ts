import { graphError, notFound, type Reply } from "./graph-errors";
import type { RouteContext, RouteRequest } from "./routes";

/**
 * `GET /chats/{id}/messages` (`$top`, `$orderby=createdDateTime desc`) and
 * `GET /teams/{id}/channels/{id}/messages` (`$top`), newest first, paged with `@odata.nextLink`
 * (`$skiptoken`); 403 when the tenant refuses the app the read permission. Undefined for any
 * other request.
 */
export function chatMessages(req: RouteRequest, ctx: RouteContext, parts: string[]): Reply | undefined {
  if (req.method !== "GET") return undefined;
  const [root, id, rel, channelId, tail] = parts;
  let key: string;
  if (root === "chats" && id && rel === "messages" && parts.length === 3) key = id;
  else if (
    root === "teams" &&
    id &&
    rel === "channels" &&
    channelId &&
    tail === "messages" &&
    parts.length === 5
  )
    key = `${id}/${channelId}`;
  else return undefined;
  const t = ctx.tenant;
  if (t.messageReadRefused)
    return graphError(
      403,
      "Forbidden",
      "Missing role permissions on the request. API requires one of 'Chat.Read.WhereInstalled'.",
    );
  const messages = t.chatMessages.get(key);
  if (!messages) return notFound(key);
  const top = Math.min(Number(req.query.get("$top") ?? ctx.defaultPageSize) || ctx.defaultPageSize, 50);
  const skip = Number(req.query.get("$skiptoken") ?? 0) || 0;
  const newestFirst = [...messages].reverse();
  const value = newestFirst.slice(skip, skip + top);
  const body: Record<string, unknown> = { value };
  if (skip + top < newestFirst.length) {
    const next = new URLSearchParams(req.query);
    next.set("$skiptoken", String(skip + top));
    body["@odata.nextLink"] = `${ctx.versionRoot}${req.path}?${next.toString()}`;
  }
  return { status: 200, body };
}
