/*
 * Well-known ids of the demo organisation (demo/organization.yaml) and the demo governance
 * (governance/). Cards, the local chat page's personas and tests refer to people by these names.
 * A test checks that every id here exists in the files.
 */
const user = (n: number) => `11111111-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`;
const group = (n: number) => `22222222-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`;
const sp = (n: number) => `33333333-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`;
const role = (n: number) => `44444444-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`;

export const DEMO = {
  ceo: user(1), // Adele Vance
  cfo: user(2), // Diego Siciliani
  /** Megan Bowen, Finance Manager: Fred's and Lola's manager. */
  managerOfFred: user(3),
  lola: user(4),
  fred: user(5),
  /** Alex Wilber: holds Business Analyst resources but has not signed in for months. */
  staleAnalyst: user(6),
  /** Isaiah Langer, Head of IT: owner of the General catalog. */
  itHead: user(7),
  /** Irvin Sayers: the named IT approver used when a requester has no manager. */
  itApprover: user(8),
  ciso: user(10), // Lee Gu
  /** Lidia Holloway: stage-2 approver (Security Team) for Business Analyst. */
  securityApprover: user(11),
  salesVp: user(13), // Grady Archie, owner of the Sales catalog
  gerhart: user(14), // Gerhart Moller, EMEA sales representative
  emeaSalesManager: user(15), // Henrietta Mueller
  amerSalesRep: user(18), // Miriam Graham
  apacSalesRep: user(21), // Priya Raman
  /** Debra Berger, Design Lead: owner of the Design catalog. */
  catalogOwnerDesign: user(22),
  designer: user(23), // Enrico Cattaneo
  christie: user(27), // Christie Cline, ERP project owner
  engineeringVp: user(28), // Ben Walters
  /** Pat Quinn: no manager on record, so manager approvals use the fallback approvers. */
  noManagerUser: user(31),
  /** Diane Prescott: account disabled, last sign-in a year ago. */
  formerEmployee: user(32),
  /** Tomas Novak: a Fabrikam guest (connected organisation "fabrikam"). */
  partnerGuest: user(33),
  /** Maria Lopez: Fabrikam's external sponsor. */
  partnerSponsor: user(34),
  groups: {
    financeReports: group(1),
    analytics: group(2),
    financeSite: group(3),
    securityTeam: group(4),
    itServiceDesk: group(5),
    financeDepartment: group(6),
    salesEmea: group(7),
    salesAmer: group(8),
    salesApac: group(9),
    allSales: group(10),
    salesAndMarketing: group(11),
    globalMarketingSite: group(12),
    e5License: group(13),
    emeaPipeline: group(14),
    amerPipeline: group(15),
    apacPipeline: group(16),
    erpProject: group(17),
    erpProjectSite: group(18),
    erpProjectLeads: group(19),
    designTeam: group(20),
    designToolsUsers: group(21),
    executiveExpenseReports: group(22),
    payrollAdministrators: group(23),
    engineering: group(24),
  },
  servicePrincipals: {
    powerBi: sp(1),
    salesforce: sp(2),
    sapErp: sp(3),
    vatCalculator: sp(4),
    designStudio: sp(5),
  },
  appRoles: {
    powerBiReportViewer: role(1),
    powerBiReportAuthor: role(2),
    salesforceUser: role(3),
    salesforceAdmin: role(4),
    erpUser: role(5),
    vatUser: role(6),
    designStudioEditor: role(7),
    accountingUser: role(8),
  },
  catalogs: { general: "general", sales: "sales", projects: "projects", design: "design" },
  packages: {
    businessAnalyst: "business-analyst",
    accounting: "accounting",
    executiveExpenseReports: "executive-expense-reports",
    salesforce: "salesforce",
    emeaSales: "emea-sales",
    amerSales: "amer-sales",
    apacSales: "apac-sales",
    erpProject: "erp-project",
    designTools: "design-tools",
  },
  connectedOrganizations: { fabrikam: "fabrikam", litware: "litware" },
  /** The team channel where access-delivered cards are posted. */
  channel: { teamId: "team-access-desk", channelId: "channel-access-requests", name: "Access requests" },
} as const;

export interface DemoPersona {
  id: string;
  displayName: string;
  role: string;
}

/** Who to "sign in as" on the local chat page: one person per part of the story. */
export function demoPersonas(): DemoPersona[] {
  return [
    { id: DEMO.fred, displayName: "Fred Fischer", role: "Employee, new in accounting" },
    {
      id: DEMO.managerOfFred,
      displayName: "Megan Bowen",
      role: "Fred's manager (stage-1 approver, reviewer)",
    },
    {
      id: DEMO.securityApprover,
      displayName: "Lidia Holloway",
      role: "Security Team (stage-2 approver, backup reviewer)",
    },
    { id: DEMO.catalogOwnerDesign, displayName: "Debra Berger", role: "Owner of the Design catalog" },
    { id: DEMO.christie, displayName: "Christie Cline", role: "ERP project owner (approver, reviewer)" },
    { id: DEMO.lola, displayName: "Lola Jimenez", role: "Finance, holds Business Analyst" },
    {
      id: DEMO.itApprover,
      displayName: "Irvin Sayers",
      role: "Assignment manager of General and Sales (who has, pending, assign, remove)",
    },
    { id: DEMO.partnerGuest, displayName: "Tomas Novak (Fabrikam)", role: "Partner guest from Fabrikam" },
  ];
}
