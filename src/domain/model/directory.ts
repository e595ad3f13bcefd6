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
  extensionAttributes?: Record<string, string>;
}

export interface DirectoryGroup {
  id: GroupId;
  displayName: string;
  description?: string;
}
