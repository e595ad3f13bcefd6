import { REAL, seedRealTenant } from "../support/real-tenant";
import type { Tenant } from "../support/tenant";

/** The Finance team the story adds to the realistic tenant (test/graph/support/real-tenant.ts). */
export const STORY = {
  ...REAL,
  nestor: "u-nestor", // Finance Manager: never opened the bot, the app is not installed for him
  fred: "u-fred", // Finance Analyst, new joiner, reports to Nestor, signed in two days ago
  olga: "u-olga", // Senior Finance Analyst, reports to Nestor, last signed in 120 days ago
  hana: "u-hana", // Controller: never opened the bot, and Graph refuses to install it for her (403)
  gus: "u-gus", // Accounts Clerk, reports to Hana
  // REAL.pat: Finance Analyst, reports to Nestor, no sign-in data (signInActivity null)
  financeStaff: "grp-finance-staff",
  financeApprentices: "grp-finance-apprentices", // nested in Finance Staff
  financeReports: "grp-finance-reports",
  financeLake: "grp-finance-lake",
  biApp: "sp-finance-bi",
  biReader: "role-bi-reports-read",
} as const;

const DAY = 86_400_000;

/**
 * The realistic tenant plus the Finance team, with sign-in dates relative to `now` (the desk's
 * clock) and the Teams app installed for everyone but Nestor and Hana, as in a tenant where people added it.
 */
export function seedStoryTenant(t: Tenant, now: number, catalogAppId: string): void {
  seedRealTenant(t);
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  const finance = (id: string, displayName: string, jobTitle: string, lastSignIn?: string) =>
    t.addUser({
      id,
      displayName,
      mail: `${displayName.split(" ")[0]!.toLowerCase()}@contoso.com`,
      userPrincipalName: `${displayName.split(" ")[0]!.toLowerCase()}@contoso.com`,
      department: "Finance",
      jobTitle,
      ...(lastSignIn ? { lastSignInDateTime: lastSignIn } : {}),
    });
  finance(STORY.nestor, "Nestor Wilke", "Finance Manager", at(1));
  finance(STORY.fred, "Fred Ito", "Finance Analyst", at(2));
  finance(STORY.olga, "Olga Park", "Senior Finance Analyst", at(120));
  Object.assign(t.users.get(REAL.pat)!, { jobTitle: "Finance Analyst" });
  finance(STORY.hana, "Hana Sato", "Controller", at(3));
  finance(STORY.gus, "Gus Moreno", "Accounts Clerk", at(1));
  for (const id of [STORY.fred, STORY.olga, REAL.pat]) t.setManager(id, STORY.nestor);
  t.setManager(STORY.gus, STORY.hana);
  // The consent for TeamsAppInstallation.ReadWriteForUser.All does not cover her (a permission policy).
  t.appInstallRefused.add(STORY.hana);
  t.addGroup(STORY.financeApprentices, "Finance Apprentices", [REAL.pat]);
  t.addGroup(STORY.financeStaff, "Finance Staff", [STORY.nestor, STORY.olga, STORY.financeApprentices]);
  t.addGroup(STORY.financeReports, "Finance Reports Readers", []);
  t.addGroup(STORY.financeLake, "Finance Data Lake", []);
  t.addServicePrincipal(STORY.biApp, "Finance BI", [{ id: STORY.biReader, value: "Reports.Read" }]);
  for (const id of t.users.keys()) {
    if (id === STORY.nestor || id === STORY.hana) continue;
    t.installedApps.set(id, new Map([[`inst-${id}`, catalogAppId]]));
  }
}
