import type {
  AccessPackage,
  Assignment,
  AssignmentPolicy,
  GovernanceConfig,
  ResourceRole,
} from "../../../src/domain/model";
import { expiryDeadlines } from "../../../src/domain/assignment/lifecycle";
import type { World } from "./world";

export const salesGroup: ResourceRole = { kind: "groupMember", groupId: "grp-sales", displayName: "Sales" };
export const crmRole: ResourceRole = {
  kind: "appRole",
  servicePrincipalId: "sp-crm",
  appRoleId: "role-user",
  roleName: "User",
  displayName: "CRM",
};

export function pkg(id: string, roles: ResourceRole[], extra: Partial<AccessPackage> = {}): AccessPackage {
  return {
    id,
    catalogId: "cat-general",
    name: id,
    description: "",
    hidden: false,
    resourceRoles: roles,
    incompatiblePackageIds: [],
    incompatibleGroupIds: [],
    keywords: [],
    ...extra,
  };
}

export function policy(
  id: string,
  packageId: string,
  extra: Partial<AssignmentPolicy> = {},
): AssignmentPolicy {
  return {
    id,
    packageId,
    name: id,
    description: "",
    requestors: { kind: "allMembers" },
    request: {
      selfService: true,
      justificationRequired: false,
      onBehalfOfByManagers: false,
      questions: [],
      requesterSchedule: false,
    },
    approval: { required: false, stages: [] },
    lifecycle: {
      expiry: { kind: "afterDays", days: 30 },
      extension: { allowed: true, requiresApproval: false },
      selfRemoval: true,
    },
    ...extra,
  };
}

export function config(packages: AccessPackage[], policies: AssignmentPolicy[]): GovernanceConfig {
  return {
    catalogs: [
      {
        id: "cat-general",
        name: "General",
        description: "",
        owners: ["owner"],
        enabled: true,
        externallyVisible: false,
      },
    ],
    packages,
    policies,
    connectedOrganizations: [],
  };
}

/** An assignment already delivered (its roles granted), with its expiry deadlines scheduled. */
export async function seedAssignment(
  world: World,
  a: { id: string; userId: string; packageId: string; policyId: string; startAt: string; endAt?: string },
  roles: ResourceRole[],
): Promise<Assignment> {
  const assignment: Assignment = {
    ...a,
    requestId: `req-${a.id}`,
    state: "delivered",
    resources: roles.map((role) => ({ role, status: "granted", attempts: 1, heldBefore: false })),
    remindersSent: [],
    createdAt: a.startAt,
    updatedAt: a.startAt,
    revision: 1,
  };
  await world.provisioner.apply(roles.map((role) => ({ action: "grant", userId: a.userId, role })));
  await world.stores.assignments.create(assignment);
  await world.stores.due.schedule(expiryDeadlines(assignment));
  return assignment;
}
