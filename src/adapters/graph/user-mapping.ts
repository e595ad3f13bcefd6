import type { DirectoryGroup, DirectoryUser } from "../../domain/model";

/** The Graph user fields the domain reads. */
const USER_FIELDS = [
  "id",
  "displayName",
  "userPrincipalName",
  "mail",
  "department",
  "jobTitle",
  "country",
  "companyName",
  "city",
  "officeLocation",
  "userType",
  "accountEnabled",
  "onPremisesExtensionAttributes",
  "externalUserState",
  "creationType",
  "otherMails",
  "proxyAddresses",
];

/**
 * `signInActivity` needs AuditLog.Read.All and an Entra ID P1 licence; asking for it without them
 * fails the whole request with 403, so it is selected only when enabled.
 */
export function userSelect(includeSignInActivity: boolean): string {
  return (includeSignInActivity ? [...USER_FIELDS, "signInActivity"] : USER_FIELDS).join(",");
}

export const GROUP_SELECT = "id,displayName,description";

export interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  country?: string | null;
  companyName?: string | null;
  city?: string | null;
  officeLocation?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
  signInActivity?: { lastSignInDateTime?: string | null } | null;
  externalUserState?: string | null;
  creationType?: string | null;
  otherMails?: string[] | null;
  proxyAddresses?: string[] | null;
  manager?: { id: string } | null;
}

export function toDirectoryUser(user: GraphUser): DirectoryUser {
  const result: DirectoryUser = {
    id: user.id,
    displayName: user.displayName ?? user.userPrincipalName ?? user.id,
    userPrincipalName: user.userPrincipalName ?? "",
    userType: user.userType === "Guest" ? "Guest" : "Member",
    // Graph omits accountEnabled only when not selected; absent means we cannot tell, assume enabled.
    accountEnabled: user.accountEnabled ?? true,
  };
  const optional = [
    "mail",
    "department",
    "jobTitle",
    "country",
    "companyName",
    "city",
    "officeLocation",
    "externalUserState",
    "creationType",
  ] as const;
  for (const key of optional) {
    const value = user[key];
    if (value) result[key] = value;
  }
  if (user.manager?.id) result.managerId = user.manager.id;
  if (user.otherMails?.length) result.otherMails = user.otherMails;
  if (user.proxyAddresses?.length) result.proxyAddresses = user.proxyAddresses;
  const lastSignIn = user.signInActivity?.lastSignInDateTime;
  if (lastSignIn) result.lastSignInAt = new Date(lastSignIn).toISOString();
  const extensions = nonEmpty(user.onPremisesExtensionAttributes);
  if (extensions) result.extensionAttributes = extensions;
  return result;
}

export function toDirectoryGroup(group: {
  id: string;
  displayName?: string | null;
  description?: string | null;
}): DirectoryGroup {
  const result: DirectoryGroup = { id: group.id, displayName: group.displayName ?? group.id };
  if (group.description) result.description = group.description;
  return result;
}

function nonEmpty(
  values: Record<string, string | null> | null | undefined,
): Record<string, string> | undefined {
  if (!values) return undefined;
  const entries = Object.entries(values).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== "",
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
