import type { GroupId, Instant, UserId } from "./ids";

/** What the domain knows about a person, from the local directory or Microsoft Graph. */
export interface DirectoryUser {
  id: UserId;
  displayName: string;
  userPrincipalName: string;
  mail?: string;
  department?: string;
  jobTitle?: string;
  country?: string;
  companyName?: string;
  city?: string;
  officeLocation?: string;
  userType: "Member" | "Guest";
  accountEnabled: boolean;
  managerId?: UserId;
  /** For guests: the connected organisation they come from. */
  connectedOrganizationId?: string;
  lastSignInAt?: Instant;
  /**
   * Why the directory has no sign-in data for anyone: it does not read it (Graph mode without
   * GRAPH_SIGN_IN_ACTIVITY) or Graph refused it (403: no AuditLog.Read.All or no Entra ID P1).
   */
  signInData?: "notRead" | "notPermitted";
  extensionAttributes?: Record<string, string>;
  /** Other e-mail addresses (multi-valued rule property `user.otherMails`). */
  otherMails?: string[];
  /** `SMTP:...`, `smtp:...` addresses (multi-valued rule property `user.proxyAddresses`). */
  proxyAddresses?: string[];
  /** For guests (Graph `externalUserState`): `PendingAcceptance` or `Accepted`. */
  externalUserState?: string;
  /** How the account was made (Graph `creationType`): `Invitation` for a B2B guest. */
  creationType?: string;
}

export interface DirectoryGroup {
  id: GroupId;
  displayName: string;
  description?: string;
}
