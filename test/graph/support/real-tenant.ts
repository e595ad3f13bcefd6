import type { GraphTestServer } from "./graph-server";
import { graphError } from "./graph-errors";
import type { Tenant } from "./tenant";

/**
 * A tenant that looks like a real one: members with managers, guests from two partner domains
 * (Fabrikam and Northwind) with sponsors, an invited guest who never accepted, a dynamic group, a
 * role-assignable group, an activated directory role, a disabled approver, an approver group
 * without members, a Microsoft 365 group behind a site, users with and without sign-in data.
 */
export const REAL = {
  christie: "u-christie", // ERP project owner, internal sponsor of Fabrikam
  megan: "u-megan", // Christie's manager
  irvin: "u-irvin", // IT, fallback approver
  lee: "u-lee", // disabled approver
  adele: "u-adele", // Sales, signed in recently
  pat: "u-pat", // never signed in (no sign-in data)
  anna: "g-anna", // Fabrikam guest, accepted, brought in by Access Desk
  rob: "g-rob", // Fabrikam guest, external sponsor
  kai: "g-kai", // Northwind guest, sponsored by Adele in Entra
  paula: "g-paula", // Fabrikam guest, invited, never accepted
  erpLeads: "grp-erp-leads",
  erpUsers: "grp-erp-users",
  allSales: "grp-all-sales-dynamic",
  tier0Admins: "grp-tier0-admins",
  emptyApprovers: "grp-empty-approvers",
  marketingSite: "grp-marketing-site",
  globalAdminRole: "role-global-admin",
  erpApp: "sp-erp",
  erpUserRole: "role-erp-user",
} as const;

export function seedRealTenant(t: Tenant): void {
  const member = (id: string, displayName: string, extra: Record<string, unknown> = {}) =>
    t.addUser({
      id,
      displayName,
      mail: `${displayName.split(" ")[0]!.toLowerCase()}@contoso.com`,
      userPrincipalName: `${displayName.split(" ")[0]!.toLowerCase()}@contoso.com`,
      ...extra,
    });
  member(REAL.megan, "Megan Bowen", { department: "Executive", lastSignInDateTime: "2026-11-22T08:00:00Z" });
  member(REAL.christie, "Christie Cline", {
    department: "Projects",
    jobTitle: "ERP Project Owner",
    lastSignInDateTime: "2026-11-22T09:00:00Z",
  });
  member(REAL.irvin, "Irvin Sayers", { department: "IT", lastSignInDateTime: "2026-11-20T09:00:00Z" });
  member(REAL.lee, "Lee Gu", { department: "Projects", accountEnabled: false });
  member(REAL.adele, "Adele Vance", { department: "Sales", lastSignInDateTime: "2026-11-21T12:00:00Z" });
  member(REAL.pat, "Pat Quinn", { department: "Finance" });
  t.setManager(REAL.christie, REAL.megan);
  t.setManager(REAL.adele, REAL.megan);
  const guest = (id: string, displayName: string, mail: string, extra: Record<string, unknown> = {}) =>
    t.addUser({
      id,
      displayName,
      mail,
      userPrincipalName: `${mail.replace("@", "_")}#EXT#@contoso.com`,
      userType: "Guest",
      externalUserState: "Accepted",
      creationType: "Invitation",
      ...extra,
    });
  guest(REAL.anna, "Anna Larsen (Fabrikam)", "anna@fabrikam.com", {
    lastSignInDateTime: "2026-11-19T10:00:00Z",
  });
  guest(REAL.rob, "Rob Young (Fabrikam)", "rob@fabrikam.com");
  // No mail: linked by the #EXT# part of the UPN alone.
  guest(REAL.kai, "Kai Nakamura (Northwind)", "", {
    mail: undefined,
    userPrincipalName: "kai_northwind.com#EXT#@contoso.com",
  });
  guest(REAL.paula, "Paula Ruiz (Fabrikam)", "paula@fabrikam.com", {
    externalUserState: "PendingAcceptance",
  });
  t.sponsors.set(REAL.anna, [REAL.christie]);
  t.sponsors.set(REAL.kai, [REAL.adele]);

  t.addGroup(REAL.erpLeads, "ERP Project Leads", [REAL.christie, REAL.lee], [REAL.christie]);
  t.addGroup(REAL.erpUsers, "ERP Project Members", [REAL.anna]);
  Object.assign(t.addGroup(REAL.allSales, "All Sales (dynamic)", [REAL.adele]), {
    groupTypes: ["DynamicMembership"],
    membershipRule: 'user.department -eq "Sales"',
  });
  Object.assign(t.addGroup(REAL.tier0Admins, "Tier 0 Admins", [REAL.irvin]), { isAssignableToRole: true });
  t.addGroup(REAL.emptyApprovers, "Weekend Approvers", []);
  Object.assign(t.addGroup(REAL.marketingSite, "Global Marketing", [REAL.adele], [REAL.megan]), {
    groupTypes: ["Unified"],
  });
  t.directoryRoles.set(REAL.globalAdminRole, {
    id: REAL.globalAdminRole,
    displayName: "Global Administrator",
  });
  t.addServicePrincipal(REAL.erpApp, "SAP ERP", [{ id: REAL.erpUserRole, value: "ERP.User" }]);
}

/** The app lacks a permission: matching calls answer Graph's 403, as a tenant without the consent does. */
export function denyPermission(
  server: GraphTestServer,
  match: (method: string, path: string) => boolean,
): void {
  server.faults.failMatching(match, () =>
    graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
  );
}
