import type { ConnectedOrganization, DirectoryUser } from "../model";

/**
 * The home domain of a guest: the domain of `mail`, else the part of a B2B UPN before `#EXT#`
 * (`tomas_fabrikam.com#EXT#@contoso.com` -> `fabrikam.com`). Lower case; undefined for members.
 */
export function guestDomain(
  user: Pick<DirectoryUser, "userType" | "mail" | "userPrincipalName">,
): string | undefined {
  if (user.userType !== "Guest") return undefined;
  const fromMail = user.mail?.includes("@") ? user.mail.split("@").pop() : undefined;
  if (fromMail) return fromMail.trim().toLowerCase();
  const upn = user.userPrincipalName ?? "";
  const ext = upn.toUpperCase().indexOf("#EXT#");
  if (ext <= 0) return undefined;
  const local = upn.slice(0, ext);
  const underscore = local.lastIndexOf("_");
  return underscore >= 0 ? local.slice(underscore + 1).toLowerCase() || undefined : undefined;
}

/**
 * The connected organisation a guest belongs to, by its identity sources (the domains it declares).
 * A directory that already names one (the demo file) is trusted; members never belong to one.
 */
export function connectedOrganizationOf(
  user: DirectoryUser,
  organizations: readonly ConnectedOrganization[],
): ConnectedOrganization | undefined {
  if (user.userType !== "Guest") return undefined;
  if (user.connectedOrganizationId) return organizations.find((o) => o.id === user.connectedOrganizationId);
  const domain = guestDomain(user);
  if (!domain) return undefined;
  return organizations.find((o) => o.domains.some((d) => d.toLowerCase() === domain));
}

/** The user with `connectedOrganizationId` filled in when a connected organisation claims them. */
export function linkGuest(
  user: DirectoryUser,
  organizations: readonly ConnectedOrganization[],
): DirectoryUser {
  if (user.userType !== "Guest" || user.connectedOrganizationId) return user;
  const org = connectedOrganizationOf(user, organizations);
  return org ? { ...user, connectedOrganizationId: org.id } : user;
}
