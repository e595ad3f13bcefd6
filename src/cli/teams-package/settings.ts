/** A setting is missing or wrong; the message says what to set and where. */
export class PackagingError extends Error {}

/** The product colour: the colour icon's background and the manifest's accentColor. */
export const ACCENT_COLOR = "#2F5BD3";

const GUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/** The values that fill the manifest template's {{placeholders}}. */
export function manifestValues(
  env: Record<string, string | undefined>,
  appVersion: string,
): Record<string, string> {
  const appId = env.MicrosoftAppId?.trim();
  if (!appId) {
    throw new PackagingError(
      "MicrosoftAppId is not set: put your bot's Microsoft App ID in .env or the environment",
    );
  }
  if (!GUID.test(appId)) {
    throw new PackagingError(
      `MicrosoftAppId "${appId}" is not a GUID: copy the App ID of your Azure Bot registration`,
    );
  }
  const teamsAppId = env.TEAMS_APP_ID?.trim() || appId;
  if (!GUID.test(teamsAppId)) throw new PackagingError(`TEAMS_APP_ID "${teamsAppId}" is not a GUID`);
  // Accept "https://bot.example.com/api/messages" as well as "bot.example.com".
  const domain = (env.BOT_DOMAIN ?? "")
    .trim()
    .replace(/^https?:\/\//i, "")
    .replace(/\/.*$/, "");
  const website =
    env.DEVELOPER_WEBSITE_URL?.trim() || (domain ? `https://${domain}/` : "https://example.com/");
  const base = website.endsWith("/") ? website : `${website}/`;
  return {
    MicrosoftAppId: appId,
    TEAMS_APP_ID: teamsAppId,
    BOT_DOMAIN: domain,
    APP_VERSION: appVersion,
    ACCENT_COLOR,
    DEVELOPER_NAME: env.DEVELOPER_NAME?.trim() || "Access Desk",
    DEVELOPER_WEBSITE_URL: website,
    DEVELOPER_PRIVACY_URL: env.DEVELOPER_PRIVACY_URL?.trim() || `${base}privacy`,
    DEVELOPER_TERMS_URL: env.DEVELOPER_TERMS_URL?.trim() || `${base}terms`,
  };
}

/**
 * Replaces {{NAME}} in every string of the template. A placeholder without a value is an error,
 * and empty entries left in validDomains (no BOT_DOMAIN) are dropped.
 */
export function fillTemplate(template: unknown, values: Record<string, string>): Record<string, unknown> {
  const fill = (node: unknown): unknown => {
    if (typeof node === "string") {
      return node.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => {
        const value = values[name];
        if (value === undefined)
          throw new PackagingError(`the manifest template uses {{${name}}}, which has no value`);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  const manifest = fill(template) as Record<string, unknown>;
  if (Array.isArray(manifest.validDomains)) {
    manifest.validDomains = manifest.validDomains.filter((domain) => domain !== "");
  }
  return manifest;
}
