import type { Assignment, ResourceDelivery, ResourceRole } from "../../../../src/domain/model";
import { NOW } from "./fixtures";

export const bi: ResourceRole = { kind: "groupMember", groupId: "grp-bi", displayName: "BI users" };
export const sap: ResourceRole = {
  kind: "appRole",
  servicePrincipalId: "sp-sap",
  appRoleId: "role-reader",
  displayName: "SAP",
  roleName: "Reader",
};

export const granted = (role: ResourceRole, patch: Partial<ResourceDelivery> = {}): ResourceDelivery => ({
  role,
  status: "granted",
  attempts: 1,
  heldBefore: false,
  ...patch,
});

export const assignment = (patch: Partial<Assignment> = {}): Assignment => ({
  id: "asg-1",
  userId: "alice",
  packageId: "pkg-analyst",
  policyId: "pol-employees",
  requestId: "req-1",
  state: "delivered",
  startAt: NOW,
  endAt: "2026-12-23T10:00:00.000Z",
  resources: [granted(bi), granted(sap)],
  remindersSent: [],
  createdAt: NOW,
  updatedAt: NOW,
  revision: 1,
  ...patch,
});
