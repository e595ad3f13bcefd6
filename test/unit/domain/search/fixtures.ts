import type { AccessPackage } from "../../../../src/domain/model";
import type { PackageCandidate } from "../../../../src/domain/search";

function pkg(
  id: string,
  name: string,
  description: string,
  keywords: string[] = [],
  hidden = false,
): AccessPackage {
  return {
    id,
    catalogId: "c",
    name,
    description,
    hidden,
    resourceRoles: [],
    incompatiblePackageIds: [],
    incompatibleGroupIds: [],
    keywords,
  };
}

/** A small catalog the matching tables run against. */
export const CANDIDATES: PackageCandidate[] = [
  {
    package: pkg("sf", "Salesforce", "Sales pipeline and customer records.", ["CRM"]),
    catalogName: "Sales",
    resourceNames: ["Salesforce (Sales Cloud)", "SG-Sales-Users"],
  },
  {
    package: pkg("sfa", "Salesforce Admin", "Administer the Salesforce org.", ["CRM admin"]),
    catalogName: "Sales",
    resourceNames: ["Salesforce (System Administrator)"],
  },
  {
    package: pkg(
      "ba",
      "Business Analyst",
      "Reporting tools, Power BI workspaces and the analytics SharePoint site.",
      ["BI", "reporting"],
    ),
    catalogName: "Finance",
    resourceNames: ["Power BI Pro", "SG-Analysts", "Analytics Hub"],
  },
  {
    package: pkg("erp", "ERP Project Collaboration", "For contractors and vendors on the ERP rollout.", [
      "SAP",
    ]),
    catalogName: "Projects",
    resourceNames: ["ERP Project Team", "ERP Project Site"],
  },
  {
    package: pkg("emea", "EMEA Sales Marketing", "Marketing material for EMEA sales.", []),
    catalogName: "Sales",
    resourceNames: ["EMEA Marketing Site"],
  },
  {
    package: pkg(
      "secret",
      "Incident Response Break Glass",
      "Emergency admin roles.",
      ["salesforce emergency"],
      true,
    ),
    catalogName: "Security",
    resourceNames: ["Salesforce Break Glass"],
  },
];
