import type { Assignment, GovernanceConfig, ResourceRole, UserId } from "../../src/domain/model";
import { accessPackage, catalog, config, twoStagePolicy } from "../unit/domain/support/fixtures";
import { START } from "../support/world";

/** One catalog (owner olivia) with one package granting `roles`; its policy reports or removes outsiders. */
export function reconciledConfig(
  roles: ResourceRole[],
  outOfBandMembers?: "report" | "remove",
): GovernanceConfig {
  const policy = twoStagePolicy({ id: "pol-x", packageId: "pkg-x" });
  return config({
    catalogs: [catalog({ owners: ["olivia"] })],
    packages: [accessPackage({ id: "pkg-x", name: "Reports", resourceRoles: roles })],
    policies: [
      outOfBandMembers ? { ...policy, lifecycle: { ...policy.lifecycle, outOfBandMembers } } : policy,
    ],
  });
}

/** An assignment that granted `roles` to the user. */
export const granted = (id: string, userId: UserId, roles: ResourceRole[]): Assignment => ({
  id,
  userId,
  packageId: "pkg-x",
  policyId: "pol-x",
  requestId: `req-${id}`,
  state: "delivered",
  startAt: START,
  endAt: "2026-12-23T10:00:00.000Z",
  resources: roles.map((role) => ({ role, status: "granted", attempts: 1, heldBefore: false })),
  remindersSent: [],
  createdAt: START,
  updatedAt: START,
  revision: 1,
});
