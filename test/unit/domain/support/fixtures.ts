import type {
  AccessPackage,
  AccessRequest,
  AssignmentPolicy,
  Catalog,
  DirectoryUser,
  GovernanceConfig,
} from "../../../../src/domain/model";

/** The seed's test plan: a 2-stage policy (manager, then security), 14-day window, 30-day expiry. */
export const NOW = "2026-11-23T10:00:00.000Z";

export const user = (id: string, patch: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id,
  displayName: id[0]!.toUpperCase() + id.slice(1),
  userPrincipalName: `${id}@contoso.com`,
  userType: "Member",
  accountEnabled: true,
  ...patch,
});

export const catalog = (patch: Partial<Catalog> = {}): Catalog => ({
  id: "cat-finance",
  name: "Finance",
  description: "Finance apps",
  owners: ["olivia"],
  enabled: true,
  externallyVisible: false,
  ...patch,
});

export const accessPackage = (patch: Partial<AccessPackage> = {}): AccessPackage => ({
  id: "pkg-analyst",
  catalogId: "cat-finance",
  name: "Business Analyst",
  description: "Reports and the BI app",
  hidden: false,
  resourceRoles: [
    { kind: "groupMember", groupId: "grp-bi", displayName: "BI users" },
    {
      kind: "appRole",
      servicePrincipalId: "sp-sap",
      appRoleId: "role-reader",
      displayName: "SAP",
      roleName: "Reader",
    },
  ],
  incompatiblePackageIds: [],
  incompatibleGroupIds: [],
  keywords: [],
  ...patch,
});

export const twoStagePolicy = (patch: Partial<AssignmentPolicy> = {}): AssignmentPolicy => ({
  id: "pol-employees",
  packageId: "pkg-analyst",
  name: "Employees",
  description: "Members of the directory",
  requestors: { kind: "allMembers" },
  request: {
    selfService: true,
    justificationRequired: true,
    onBehalfOfByManagers: true,
    questions: [],
    requesterSchedule: false,
  },
  approval: {
    required: true,
    stages: [
      {
        primaryApprovers: [{ kind: "manager", level: 1 }],
        fallbackApprovers: [{ kind: "users", userIds: ["fiona"] }],
        approverJustificationRequired: true,
        decisionWindowDays: 14,
      },
      {
        primaryApprovers: [{ kind: "groupMembers", groupId: "grp-security" }],
        fallbackApprovers: [],
        approverJustificationRequired: true,
        decisionWindowDays: 14,
      },
    ],
  },
  lifecycle: {
    expiry: { kind: "afterDays", days: 30 },
    extension: { allowed: true, requiresApproval: false },
    selfRemoval: true,
  },
  ...patch,
});

export const config = (patch: Partial<GovernanceConfig> = {}): GovernanceConfig => ({
  catalogs: [catalog()],
  packages: [accessPackage()],
  policies: [twoStagePolicy()],
  connectedOrganizations: [],
  ...patch,
});

/** A request just submitted by alice for herself, not yet at a stage. */
export const submitted = (patch: Partial<AccessRequest> = {}): AccessRequest => ({
  id: "req-1",
  type: "userAdd",
  requesterId: "alice",
  targetUserId: "alice",
  packageId: "pkg-analyst",
  policyId: "pol-employees",
  justification: "Quarterly reporting",
  answers: {},
  schedule: {},
  state: "submitted",
  stages: [],
  createdAt: NOW,
  updatedAt: NOW,
  revision: 1,
  materialRevision: 1,
  ...patch,
});
