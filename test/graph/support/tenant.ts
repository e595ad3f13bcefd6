/** An in-memory Entra tenant: what the loopback Graph server reads and changes. */

export interface TenantUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string;
  givenName?: string;
  surname?: string;
  department?: string;
  jobTitle?: string;
  country?: string;
  companyName?: string;
  city?: string;
  officeLocation?: string;
  userType?: "Member" | "Guest";
  accountEnabled?: boolean;
  onPremisesExtensionAttributes?: Record<string, string | null>;
  lastSignInDateTime?: string;
  /** Guests: `PendingAcceptance` until the invitation is redeemed, then `Accepted`. */
  externalUserState?: string;
  /** `Invitation` for a guest brought in through `POST /invitations`. */
  creationType?: string;
  otherMails?: string[];
  proxyAddresses?: string[];
}

export interface TenantGroup {
  id: string;
  displayName: string;
  description?: string;
  /** Direct members: user ids and group ids (nested groups). */
  members: Set<string>;
  owners: Set<string>;
  /** `["DynamicMembership"]` for a dynamic group, `["Unified"]` for a Microsoft 365 group. */
  groupTypes?: string[];
  isAssignableToRole?: boolean;
  membershipRule?: string;
}

export interface TenantAppRoleAssignment {
  id: string;
  principalId: string;
  principalType: "User" | "Group";
  resourceId: string;
  appRoleId: string;
  createdDateTime: string;
}

export interface TenantServicePrincipal {
  id: string;
  displayName: string;
  appRoles: { id: string; value: string }[];
  assignments: TenantAppRoleAssignment[];
}

/** One change the server applied: the ground truth for "nothing lost, nothing applied twice". */
export interface AppliedChange {
  change:
    | "memberAdded"
    | "memberRemoved"
    | "ownerAdded"
    | "ownerRemoved"
    | "appRoleAssigned"
    | "appRoleRemoved"
    | "userDeleted"
    | "userInvited"
    | "userUpdated";
  targetId: string;
  principalId: string;
}

/** A Teams message as Graph's chatMessage has it (the card JSON as a string in `attachments[].content`). */
export interface TenantChatMessage {
  id: string;
  createdDateTime: string;
  messageType: "message";
  from: { application?: { id: string; displayName: string }; user?: { id: string } };
  attachments: { id?: string; contentType: string; content: string }[];
}

export class Tenant {
  readonly users = new Map<string, TenantUser>();
  /** userId -> managerId */
  readonly managers = new Map<string, string>();
  readonly groups = new Map<string, TenantGroup>();
  readonly servicePrincipals = new Map<string, TenantServicePrincipal>();
  readonly applied: AppliedChange[] = [];
  /** The app lacks AuditLog.Read.All (or the tenant Entra ID P1): selecting signInActivity is a 403. */
  signInActivityRefused = false;
  /** Teams apps installed per user (installation id -> app catalog id), and users Graph refuses to install for. */
  readonly installedApps = new Map<string, Map<string, string>>();
  readonly appInstallRefused = new Set<string>();
  /** Messages per chat id, and per `teamId/channelId`, oldest first (`GET /chats/{id}/messages`). */
  readonly chatMessages = new Map<string, TenantChatMessage[]>();
  /** The app lacks Chat.Read.WhereInstalled / ChannelMessage.Read.All: reading messages is a 403. */
  messageReadRefused = false;
  /** userId -> sponsor user ids (`/users/{id}/sponsors`). */
  readonly sponsors = new Map<string, string[]>();
  /** Activated directory roles (`/directoryRoles/{id}`). */
  readonly directoryRoles = new Map<string, { id: string; displayName: string }>();
  /** Invitations sent through `POST /invitations`, in order. */
  readonly invitations: { email: string; userId: string; redirectUrl: string; sendMessage: boolean }[] = [];
  private nextAssignment = 1;

  addUser(user: Omit<TenantUser, "userPrincipalName"> & { userPrincipalName?: string }): TenantUser {
    const full: TenantUser = {
      userType: "Member",
      accountEnabled: true,
      userPrincipalName: `${user.id}@contoso.test`,
      ...user,
    };
    this.users.set(full.id, full);
    return full;
  }

  setManager(userId: string, managerId: string): void {
    this.managers.set(userId, managerId);
  }

  addGroup(id: string, displayName: string, members: string[] = [], owners: string[] = []): TenantGroup {
    const group: TenantGroup = { id, displayName, members: new Set(members), owners: new Set(owners) };
    this.groups.set(id, group);
    return group;
  }

  addServicePrincipal(
    id: string,
    displayName: string,
    appRoles: { id: string; value: string }[],
  ): TenantServicePrincipal {
    const sp: TenantServicePrincipal = { id, displayName, appRoles, assignments: [] };
    this.servicePrincipals.set(id, sp);
    return sp;
  }

  findUser(idOrUpn: string): TenantUser | undefined {
    const key = idOrUpn.toLowerCase();
    return (
      this.users.get(idOrUpn) ??
      [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === key)
    );
  }

  assignAppRole(sp: TenantServicePrincipal, principalId: string, appRoleId: string): TenantAppRoleAssignment {
    const assignment: TenantAppRoleAssignment = {
      id: `ara-${this.nextAssignment++}`,
      principalId,
      principalType: this.groups.has(principalId) ? "Group" : "User",
      resourceId: sp.id,
      appRoleId,
      createdDateTime: new Date().toISOString(),
    };
    sp.assignments.push(assignment);
    return assignment;
  }

  /** Groups the object is in, through nesting. */
  transitiveGroupsOf(objectId: string): TenantGroup[] {
    const found = new Map<string, TenantGroup>();
    const visit = (id: string) => {
      for (const group of this.groups.values()) {
        if (group.members.has(id) && !found.has(group.id)) {
          found.set(group.id, group);
          visit(group.id);
        }
      }
    };
    visit(objectId);
    return [...found.values()];
  }

  /** Users in the group, through nesting. */
  transitiveUsersOf(groupId: string): TenantUser[] {
    const users = new Map<string, TenantUser>();
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      for (const member of this.groups.get(id)?.members ?? []) {
        const user = this.users.get(member);
        if (user) users.set(user.id, user);
        else visit(member);
      }
    };
    visit(groupId);
    return [...users.values()];
  }
}
