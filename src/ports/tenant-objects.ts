/**
 * The directory objects governance files name, as the tenant has them: what `governance plan` and
 * `apply` check before anything is stored (Graph mode). Looked up all at once, so an adapter can
 * batch the reads.
 */
export interface TenantObjectRefs {
  users: string[];
  groups: string[];
  servicePrincipals: string[];
  /** Groups whose members approve or review: their emptiness is worth a warning. */
  approverGroups: string[];
}

export interface TenantUserFacts {
  id: string;
  displayName: string;
  accountEnabled: boolean;
  userType: "Member" | "Guest";
}

export interface TenantGroupFacts {
  id: string;
  displayName: string;
  /** `groupTypes` contains DynamicMembership: members come from a rule, nobody can be added. */
  dynamic: boolean;
  /** `isAssignableToRole`: the group can hold directory roles (privileged). */
  roleAssignable: boolean;
  /** Only for approver groups: whether it has at least one user, nested groups included. */
  hasMembers?: boolean;
}

export interface TenantServicePrincipalFacts {
  id: string;
  displayName: string;
  appRoles: { id: string; value?: string; displayName?: string }[];
}

export interface TenantObjectFacts {
  users: Map<string, TenantUserFacts>;
  groups: Map<string, TenantGroupFacts>;
  servicePrincipals: Map<string, TenantServicePrincipalFacts>;
  /** Ids named as groups that are directory roles (activated role objects) instead. */
  directoryRoles: Map<string, { id: string; displayName: string }>;
}

export interface TenantObjects {
  lookup(refs: TenantObjectRefs): Promise<TenantObjectFacts>;
}
