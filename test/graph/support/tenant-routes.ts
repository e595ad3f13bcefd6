import { badRequest, graphError, notFound, type Reply } from "./graph-errors";
import type { RouteContext, RouteRequest } from "./routes";
import { list, userJson } from "./routes";
import { project } from "./odata-eval";

/**
 * Routes of a real tenant beyond reading and granting: service principals and directory roles by id,
 * a user's sponsors, B2B invitations, and PATCH of a user (blocking sign-in). Undefined when the
 * request is not one of them, so the main router answers.
 */
export function tenantRoutes(req: RouteRequest, ctx: RouteContext, parts: string[]): Reply | undefined {
  const t = ctx.tenant;
  const [root, id, rel] = parts;
  if (root === "servicePrincipals" && id && !rel && req.method === "GET") {
    const sp = t.servicePrincipals.get(id);
    if (!sp) return notFound(id);
    return {
      status: 200,
      body: project({ id: sp.id, displayName: sp.displayName, appRoles: sp.appRoles }, req.query),
    };
  }
  if (root === "directoryRoles" && id && !rel && req.method === "GET") {
    const role = t.directoryRoles.get(id);
    return role ? { status: 200, body: project({ ...role }, req.query) } : notFound(id);
  }
  if (root === "users" && id && rel === "sponsors" && req.method === "GET") {
    const user = t.findUser(id);
    if (!user) return notFound(id);
    const sponsors = (t.sponsors.get(user.id) ?? [])
      .map((s) => t.users.get(s))
      .filter((u) => u !== undefined)
      .map((u) => ({ "@odata.type": "#microsoft.graph.user", ...userJson(u) }));
    return list(sponsors, req, ctx);
  }
  if (root === "users" && id && !rel && req.method === "PATCH") {
    const user = t.findUser(id);
    if (!user) return notFound(id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.accountEnabled === "boolean") user.accountEnabled = body.accountEnabled;
    t.applied.push({ change: "userUpdated", targetId: user.id, principalId: JSON.stringify(body) });
    return { status: 204 };
  }
  if (root === "invitations" && !id && req.method === "POST") return invite(req, ctx);
  return undefined;
}

/** `POST /invitations`: a guest account for the address (or the existing one), pending acceptance. */
function invite(req: RouteRequest, ctx: RouteContext): Reply {
  const t = ctx.tenant;
  const body = (req.body ?? {}) as {
    invitedUserEmailAddress?: string;
    inviteRedirectUrl?: string;
    invitedUserDisplayName?: string;
    sendInvitationMessage?: boolean;
  };
  const email = body.invitedUserEmailAddress?.trim() ?? "";
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    return badRequest("The invited user email address is invalid.");
  if (!body.inviteRedirectUrl) return badRequest("InviteRedirectUrl is required.");
  const existing = [...t.users.values()].find((u) => (u.mail ?? "").toLowerCase() === email.toLowerCase());
  if (existing && existing.userType !== "Guest")
    return graphError(400, "BadRequest", "The invited user already exists as a member of this directory.");
  const user =
    existing ??
    t.addUser({
      id: `guest-${t.invitations.length + 1}-${email.split("@")[0]!.replace(/[^a-z0-9]/gi, "")}`,
      displayName: body.invitedUserDisplayName ?? email,
      mail: email,
      userPrincipalName: `${email.replace("@", "_")}#EXT#@contoso.test`,
      userType: "Guest",
      externalUserState: "PendingAcceptance",
      creationType: "Invitation",
    });
  t.invitations.push({
    email,
    userId: user.id,
    redirectUrl: body.inviteRedirectUrl,
    sendMessage: body.sendInvitationMessage === true,
  });
  t.applied.push({ change: "userInvited", targetId: user.id, principalId: email });
  return {
    status: 201,
    body: {
      id: `invitation-${t.invitations.length}`,
      invitedUserEmailAddress: email,
      inviteRedirectUrl: body.inviteRedirectUrl,
      inviteRedeemUrl: `https://login.microsoftonline.com/redeem?id=${user.id}`,
      status: user.externalUserState ?? "PendingAcceptance",
      invitedUser: { id: user.id },
    },
  };
}
