import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { STORY } from "./story-tenant";

/**
 * The story's governance files, as an administrator would write them for the tenant: catalogs,
 * Fabrikam and Northwind with Fabrikam's guest lifecycle, Finance Reports (manager approval, a
 * monthly review that escalates and follows recommendations), ERP Project (partners and
 * employees), and Finance Data Lake by auto-assignment.
 */
const CATALOGS = `catalogs:
  - id: finance
    name: Finance
    owners: [${STORY.irvin}]
    accessPackageAssignmentManagers: [${STORY.irvin}]
  - id: projects
    name: Projects
    owners: [${STORY.christie}]
    externallyVisible: true
`;

const ORGANIZATIONS = `connectedOrganizations:
  - id: fabrikam
    name: Fabrikam
    domains: [fabrikam.com]
    internalSponsors: [${STORY.christie}]
    externalSponsors: [${STORY.rob}]
    guestLifecycle: { blockSignIn: true, deleteAfterDays: 2 }
  - id: northwind
    name: Northwind
    domains: [northwind.com]
    internalSponsors: [${STORY.adele}]
`;

const financeReports = (reviewStart: string) => `id: finance-reports
name: Finance Reports
description: Monthly close reports and the Finance BI reader role.
catalogId: finance
keywords: [reports, bi]
resources:
  - kind: groupMember
    groupId: ${STORY.financeReports}
    displayName: Finance Reports Readers
  - kind: appRole
    servicePrincipalId: ${STORY.biApp}
    appRoleId: ${STORY.biReader}
    displayName: Finance BI
    roleName: Reports.Read
policies:
  - id: finance-reports-employees
    name: Employees
    requestors: allMembers
    request:
      justificationRequired: false
    approval:
      stages:
        - primaryApprovers: [{ kind: manager }]
          fallbackApprovers: [{ kind: users, userIds: [${STORY.irvin}] }]
    lifecycle:
      expiry: { kind: afterDays, days: 365 }
      review:
        recurrence: monthly
        startDate: ${reviewStart}
        durationDays: 7
        reviewers: [{ kind: manager }]
        fallbackReviewers: [{ kind: users, userIds: [${STORY.irvin}] }]
        escalateAfterDays: 3
        justificationRequired: false
        ifNoResponse: recommendation
`;

const ERP_PROJECT = `id: erp-project
name: ERP Project
description: The ERP rollout's workspace.
catalogId: projects
keywords: [erp, sap]
resources:
  - kind: groupMember
    groupId: ${STORY.erpUsers}
    displayName: ERP Project Members
policies:
  - id: erp-partners
    name: Fabrikam partners
    requestors: { kind: connectedOrganizations, organizationIds: [fabrikam] }
    request:
      justificationRequired: false
    approval:
      stages:
        - primaryApprovers: [{ kind: users, userIds: [${STORY.megan}] }]
          fallbackApprovers: [{ kind: users, userIds: [${STORY.irvin}] }]
    lifecycle:
      expiry: { kind: afterDays, days: 10 }
  - id: erp-employees
    name: Employees
    requestors: allMembers
    approval:
      stages:
        - primaryApprovers: [{ kind: users, userIds: [${STORY.lee}] }]
          fallbackApprovers: [{ kind: users, userIds: [${STORY.irvin}] }]
`;

/** `grantGroupId` is the group Finance Data Lake grants: the dynamic All Sales group is refused. */
const financeLake = (grantGroupId: string) => `id: finance-data-lake
name: Finance Data Lake
description: Read access to the finance data lake, for analysts of Finance Staff.
catalogId: finance
resources:
  - kind: groupMember
    groupId: ${grantGroupId}
    displayName: Finance Data Lake
policies:
  - id: finance-lake-analysts
    name: Finance analysts, automatically
    requestors: none
    autoAssignment:
      rule: (user.jobTitle -match "^(Senior )?Finance Analyst$") -and (user.memberOf -any (group.objectId -in ["${STORY.financeStaff}"]))
`;

export interface StoryGovernance {
  /** The files the desk starts with: catalogs and connected organisations, no package yet. */
  initial: string;
  /** Finance Data Lake grants the dynamic All Sales group. */
  dynamicTarget: string;
  /** What the administrator applies. */
  valid: string;
}

export function writeStoryGovernance(reviewStart: string): StoryGovernance {
  const root = mkdtempSync(path.join(tmpdir(), "graph-story-"));
  const dir = (name: string, packages: Record<string, string>) => {
    const at = path.join(root, name);
    mkdirSync(path.join(at, "packages"), { recursive: true });
    writeFileSync(path.join(at, "catalogs.yaml"), CATALOGS);
    writeFileSync(path.join(at, "connected-organizations.yaml"), ORGANIZATIONS);
    for (const [file, text] of Object.entries(packages)) writeFileSync(path.join(at, "packages", file), text);
    return at;
  };
  const packages = (lakeGroup: string) => ({
    "finance-reports.yaml": financeReports(reviewStart),
    "erp-project.yaml": ERP_PROJECT,
    "finance-data-lake.yaml": financeLake(lakeGroup),
  });
  return {
    initial: dir("initial", {}),
    dynamicTarget: dir("dynamic-target", packages(STORY.allSales)),
    valid: dir("valid", packages(STORY.financeLake)),
  };
}
