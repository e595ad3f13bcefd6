import type { EnvReader } from "./env-reader";
import type { Mode } from "./settings";

/**
 * Teams' global Bot Connector address: proactive messages to people no saved conversation names
 * (e.g. an approver who never opened the bot) open their chat here (Microsoft's proactive-message guide).
 */
const TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams";

/** The bot's identity in Azure Bot Service (MicrosoftApp*) and where its first messages go. */
export interface BotIdentity {
  appId: string;
  appPassword: string | undefined;
  appType: string;
  tenantId: string | undefined;
  serviceUrl: string | undefined;
}

/** A bot with an app id needs the rest of its identity; production refuses to run without one. */
export function readBot({ read, problems }: EnvReader, mode: Mode): BotIdentity {
  const appId = read("MicrosoftAppId") ?? "";
  const appType = read("MicrosoftAppType") ?? (appId ? "SingleTenant" : "");
  const tenantId = read("MicrosoftAppTenantId");
  const serviceUrl =
    read("BOT_SERVICE_URL")?.replace(/\/+$/, "") ?? (mode === "production" ? TEAMS_SERVICE_URL : undefined);
  if (serviceUrl && !/^https?:\/\/[^/\s]+/.test(serviceUrl))
    problems.push(`BOT_SERVICE_URL="${serviceUrl}" is not valid: give an http(s) URL`);
  if (appType && !["SingleTenant", "MultiTenant", "UserAssignedMSI"].includes(appType)) {
    problems.push(
      `MicrosoftAppType="${appType}" is not valid: use SingleTenant, MultiTenant or UserAssignedMSI`,
    );
  }
  if (appId && appType === "SingleTenant" && !tenantId) {
    problems.push("MicrosoftAppTenantId is not set: a SingleTenant bot needs its Entra tenant id");
  }
  if (appId && appType !== "UserAssignedMSI" && !read("MicrosoftAppPassword")) {
    problems.push(
      "MicrosoftAppPassword is not set: put the bot's client secret in the environment or Key Vault",
    );
  }
  if (mode === "production" && !appId)
    problems.push("MicrosoftAppId is not set: production mode needs the bot's Microsoft App ID");
  return { appId, appPassword: read("MicrosoftAppPassword"), appType, tenantId, serviceUrl };
}
