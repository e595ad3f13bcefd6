import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Reads and validates the environment once. Nothing else reads `process.env`: every module gets its
 * settings from the `Config` built here, and a wrong setting stops the process with a message that
 * names the variable and what to put there.
 */
export type Mode = "local" | "production";

export interface GraphSettings {
  tenantId: string;
  clientId: string;
  auth:
    | { kind: "secret"; clientSecret: string }
    | { kind: "certificate"; certificatePath: string }
    | { kind: "managedIdentity"; clientId?: string };
  baseUrl: string;
  /**
   * Read users' last sign-in for access review recommendations (GRAPH_SIGN_IN_ACTIVITY=on; needs
   * AuditLog.Read.All and Entra ID P1). Off: reviews recommend nothing on sign-in ("no data").
   */
  signInActivity: boolean;
  /**
   * The Teams app's id in the tenant app catalog (TEAMS_APP_CATALOG_ID): with it, people who never
   * opened the bot get it installed through Graph (TeamsAppInstallation.ReadWriteForUser.All).
   */
  teamsAppCatalogId?: string;
}

export interface Config {
  mode: Mode;
  /** Step-up sign-in for stages with requireStepUp (OAUTH_CONNECTION_NAME and STEP_UP_*); see docs/security.md. */
  stepUp?: StepUpSettings;
  host: string;
  port: number;
  /** Public base URL of this bot (the local channel's serviceUrl lives under it in local mode). */
  publicUrl: string;
  bot: {
    appId: string;
    appPassword?: string;
    appType: string;
    tenantId?: string;
    /** Approval cards for a busy approver coalesced into one digest (APPROVAL_DIGEST_*). */
    approvalDigest?: { windowMs: number; threshold: number };
    /**
     * Where a first message to someone who never wrote to the bot opens its chat (BOT_SERVICE_URL):
     * in production Teams' global service URL unless set; in local mode the local chat page.
     */
    serviceUrl?: string;
  };
  storage: { connectionString: string; tablePrefix: string; embeddedAzurite: boolean; dataDir: string };
  directory: { kind: "local"; organizationFile: string } | { kind: "graph"; graph: GraphSettings };
  governanceDir: string;
  /** Members of this group are governance administrators: every admin verb on every catalog. */
  governanceAdministratorsGroupId?: string;
  /** Members of this group are auditors: they read every catalog's audit trail (AUDITORS_GROUP_ID). */
  auditorsGroupId?: string;
  /**
   * Signs the audit CSV download links (AUDIT_LINK_SECRET, 32+ characters). Local mode makes one up
   * at start (src/main.ts); production without it offers no download link (the CLI still exports).
   */
  auditLinkSecret?: string;
  /** Whole days of audit trail kept (AUDIT_RETENTION_DAYS, default 7 years); older days are purged, their anchors kept. */
  auditRetentionDays?: number;
  scheduler: {
    enabled: boolean;
    intervalMs: number;
    batchSize: number;
    expiryReminderHours: number[];
    /** Hours between reconciliation sweeps (directory members against assignments). */
    reconcileIntervalHours: number;
  };
  logLevel: string;
  /** Custom extensions: secrets by name (EXTENSION_SECRET_<NAME>) and the callback URL key. */
  extensions?: { secrets: Record<string, string>; callbackKey?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Access Desk cannot start; fix these settings (see .env.example):\n- ${problems.join("\n- ")}`);
    this.name = "ConfigError";
  }
}

const EMULATOR = "UseDevelopmentStorage=true";
/**
 * Teams' global Bot Connector address: proactive messages to people no saved conversation names
 * (e.g. an approver who never opened the bot) open their chat here (Microsoft's proactive-message guide).
 */
const TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams";
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * The process environment over the settings of a `.env` file, if there is one (see `.env.example`):
 * what the environment sets wins, so a deployment never depends on a file. A variable set but empty
 * counts as unset, here and in `loadConfig`.
 */
export function readEnvironment(file = ".env"): NodeJS.ProcessEnv {
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  const fromEnv = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value));
  return { ...fromFile, ...fromEnv };
}

export function loadConfig(env: NodeJS.ProcessEnv = readEnvironment()): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}="${raw}" is not valid: use a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (["true", "1", "yes"].includes(raw)) return true;
    if (["false", "0", "no"].includes(raw)) return false;
    problems.push(`${name}="${raw}" is not valid: use true or false`);
    return fallback;
  };

  const mode: Mode = read("NODE_ENV") === "production" ? "production" : "local";
  const host = read("HOST") ?? (mode === "local" ? "127.0.0.1" : "0.0.0.0");
  const port = int("PORT", 3978, 0, 65535);
  const publicUrl = (read("PUBLIC_URL") ?? `http://127.0.0.1:${port}`).replace(/\/+$/, "");

  const appId = read("MicrosoftAppId") ?? "";
  const appType = read("MicrosoftAppType") ?? (appId ? "SingleTenant" : "");
  const tenantId = read("MicrosoftAppTenantId");
  const botServiceUrl =
    read("BOT_SERVICE_URL")?.replace(/\/+$/, "") ?? (mode === "production" ? TEAMS_SERVICE_URL : undefined);
  if (botServiceUrl && !/^https?:\/\/[^/\s]+/.test(botServiceUrl))
    problems.push(`BOT_SERVICE_URL="${botServiceUrl}" is not valid: give an http(s) URL`);
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

  const connectionString = read("STORAGE_CONNECTION_STRING") ?? EMULATOR;
  const embeddedAzurite = mode === "local" && bool("EMBEDDED_AZURITE", connectionString === EMULATOR);
  if (mode === "production") {
    if (!appId) problems.push("MicrosoftAppId is not set: production mode needs the bot's Microsoft App ID");
    if (pointsAtEmulator(connectionString)) {
      problems.push(
        "STORAGE_CONNECTION_STRING points at the storage emulator: production mode needs a real storage account",
      );
    }
  }
  const tablePrefix = read("STORAGE_TABLE_PREFIX") ?? "accessdesk";
  if (!/^[A-Za-z][A-Za-z0-9]{0,29}$/.test(tablePrefix)) {
    problems.push(
      `STORAGE_TABLE_PREFIX="${tablePrefix}" is not valid: letters and digits, starting with a letter`,
    );
  }

  const directoryKind = read("DIRECTORY") ?? "local";
  let directory: Config["directory"] = {
    kind: "local",
    organizationFile: read("DEMO_ORGANIZATION_FILE") ?? "demo/organization.yaml",
  };
  if (directoryKind === "graph") {
    directory = { kind: "graph", graph: readGraph(read, problems) };
  } else if (directoryKind !== "local") {
    problems.push(`DIRECTORY="${directoryKind}" is not valid: use local (the demo organisation) or graph`);
  }
  if (mode === "production" && directory.kind === "local" && !bool("ALLOW_LOCAL_DIRECTORY", false)) {
    problems.push(
      "DIRECTORY is local in production mode: set DIRECTORY=graph (or ALLOW_LOCAL_DIRECTORY=true for a demo)",
    );
  }

  const reminderRaw = read("EXPIRY_REMINDER_HOURS") ?? "336,24";
  const expiryReminderHours = reminderRaw.split(",").map((s) => Number(s.trim()));
  if (expiryReminderHours.some((h) => !Number.isInteger(h) || h <= 0)) {
    problems.push(
      `EXPIRY_REMINDER_HOURS="${reminderRaw}" is not valid: use hours before expiry, e.g. 336,24`,
    );
  }
  const administrators = read("GOVERNANCE_ADMINISTRATORS_GROUP_ID");
  if (administrators !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/.test(administrators)) {
    problems.push(
      `GOVERNANCE_ADMINISTRATORS_GROUP_ID="${administrators}" is not valid: use the group's object id`,
    );
  }
  const auditors = read("AUDITORS_GROUP_ID");
  if (auditors !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/.test(auditors))
    problems.push(`AUDITORS_GROUP_ID="${auditors}" is not valid: use the group's object id`);
  const auditLinkSecret = read("AUDIT_LINK_SECRET");
  if (auditLinkSecret !== undefined && auditLinkSecret.length < 32)
    problems.push(
      "AUDIT_LINK_SECRET is too short: use at least 32 random characters (e.g. openssl rand -hex 32)",
    );
  const extensions = readExtensions(env, read, problems);
  const logLevel = read("LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL="${logLevel}" is not valid: use ${LOG_LEVELS.join(", ")}`);

  const stepUp = readStepUp(read, problems, tenantId);
  const config: Config = {
    mode,
    ...(stepUp ? { stepUp } : {}),
    host,
    port,
    publicUrl,
    bot: {
      appId,
      appPassword: read("MicrosoftAppPassword"),
      appType,
      tenantId,
      approvalDigest: {
        windowMs: int("APPROVAL_DIGEST_WINDOW_SECONDS", 3, 1, 60) * 1000,
        threshold: int("APPROVAL_DIGEST_THRESHOLD", 3, 0, 100),
      },
      ...(botServiceUrl ? { serviceUrl: botServiceUrl } : {}),
    },
    storage: { connectionString, tablePrefix, embeddedAzurite, dataDir: read("DATA_DIR") ?? ".data" },
    directory,
    governanceDir: read("GOVERNANCE_DIR") ?? "governance",
    ...(administrators ? { governanceAdministratorsGroupId: administrators } : {}),
    ...(auditors ? { auditorsGroupId: auditors } : {}),
    ...(auditLinkSecret ? { auditLinkSecret } : {}),
    auditRetentionDays: int("AUDIT_RETENTION_DAYS", 2557, 1, 36_500),
    scheduler: {
      enabled: bool("SCHEDULER_ENABLED", true),
      intervalMs: int("SCHEDULER_INTERVAL_MS", 15_000, 100, 3_600_000),
      batchSize: int("SCHEDULER_BATCH_SIZE", 100, 1, 1000),
      expiryReminderHours,
      reconcileIntervalHours: int("RECONCILE_INTERVAL_HOURS", 24, 1, 24 * 31),
    },
    logLevel,
    ...(extensions ? { extensions } : {}),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export interface StepUpSettings {
  /** The Azure Bot OAuth connection whose token proves the sign-in. */
  connectionName: string;
  /** OpenID metadata of the identity provider (default: the tenant's Entra v2.0 metadata). */
  metadataUrl: string;
  /** Accepted token audiences: the sign-in app's client id (and its API's id URI). */
  audiences: string[];
  /** A Conditional Access authentication context (e.g. c1) accepted in `acrs` instead of `amr: mfa`. */
  authContextId?: string;
}

/** OAUTH_CONNECTION_NAME turns step-up on; without it step-up stages cannot be decided (fail closed). */
function readStepUp(
  read: (name: string) => string | undefined,
  problems: string[],
  tenantId: string | undefined,
): StepUpSettings | undefined {
  const connectionName = read("OAUTH_CONNECTION_NAME");
  if (!connectionName) return undefined;
  const audiences = (read("STEP_UP_AUDIENCE") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (audiences.length === 0)
    problems.push("STEP_UP_AUDIENCE is not set: give the client id of the OAuth connection's sign-in app");
  const metadataUrl =
    read("STEP_UP_OPENID_METADATA_URL") ??
    (tenantId ? `https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration` : "");
  if (!metadataUrl)
    problems.push(
      "STEP_UP_OPENID_METADATA_URL is not set: name the OpenID metadata (or set MicrosoftAppTenantId)",
    );
  else if (!/^https:\/\//.test(metadataUrl))
    problems.push("STEP_UP_OPENID_METADATA_URL must be an https URL");
  const authContextId = read("STEP_UP_AUTH_CONTEXT_ID");
  if (authContextId !== undefined && !/^c([1-9]|[1-9][0-9])$/.test(authContextId))
    problems.push(
      `STEP_UP_AUTH_CONTEXT_ID="${authContextId}" is not valid: use an authentication context id, c1 to c99`,
    );
  return { connectionName, metadataUrl, audiences, ...(authContextId ? { authContextId } : {}) };
}

/**
 * Whether a storage connection string names the emulator or this machine: the development shortcut
 * (any case), the emulator's account, or an endpoint on a loopback or unspecified address however
 * it is written (LOCALHOST, *.localhost, 127.1, any 127.x.x.x, 2130706433, [::1], 0.0.0.0, [::]).
 */
export function pointsAtEmulator(connectionString: string): boolean {
  const settings = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const at = part.indexOf("=");
    if (at > 0) settings.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if (settings.get("usedevelopmentstorage")?.toLowerCase() === "true") return true;
  if (settings.get("accountname")?.toLowerCase() === "devstoreaccount1") return true;
  const suffix = settings.get("endpointsuffix");
  if (suffix && isLoopbackHostname(`account.table.${suffix}`)) return true;
  return [...settings]
    .filter(([key]) => key.endsWith("endpoint") || key === "developmentstorageproxyuri")
    .some(([, value]) => {
      try {
        return isLoopbackHostname(
          new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`).hostname,
        );
      } catch {
        return false;
      }
    });
}

/** A hostname as WHATWG URL normalises it (127.1 -> 127.0.0.1, [0:0::1] -> [::1]) on this machine. */
function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === "0.0.0.0") return true;
  // IPv6: loopback, unspecified, and IPv4-mapped loopback or unspecified (::ffff:7f00:1, ::ffff:0:0).
  return host === "[::1]" || host === "[::]" || /^\[::ffff:(7f[0-9a-f]{2}:[0-9a-f]{1,4}|0:0)\]$/.test(host);
}

/**
 * Custom extensions' secrets, one variable per secret name (`EXTENSION_SECRET_TICKETING` for
 * `secretName: TICKETING`; a Key Vault reference resolves into the same variable), and the key that
 * signs approval callback URLs (EXTENSION_CALLBACK_KEY, 32+ characters).
 */
function readExtensions(
  env: NodeJS.ProcessEnv,
  read: (name: string) => string | undefined,
  problems: string[],
): Config["extensions"] | undefined {
  const secrets: Record<string, string> = {};
  for (const name of Object.keys(env)) {
    const match = /^EXTENSION_SECRET_([A-Z0-9_]{1,64})$/.exec(name);
    const value = match ? read(name) : undefined;
    if (!match || value === undefined) continue;
    if (value.length < 16) problems.push(`${name} is too short: use at least 16 random characters`);
    else secrets[match[1]!] = value;
  }
  const callbackKey = read("EXTENSION_CALLBACK_KEY");
  if (callbackKey !== undefined && callbackKey.length < 32)
    problems.push(
      "EXTENSION_CALLBACK_KEY is too short: use at least 32 random characters (e.g. openssl rand -hex 32)",
    );
  if (Object.keys(secrets).length === 0 && !callbackKey) return undefined;
  return { secrets, ...(callbackKey ? { callbackKey } : {}) };
}

function readGraph(read: (name: string) => string | undefined, problems: string[]): GraphSettings {
  const need = (name: string, what: string): string => {
    const value = read(name);
    if (!value) problems.push(`${name} is not set: DIRECTORY=graph needs ${what}`);
    return value ?? "";
  };
  const tenantId = need("GRAPH_TENANT_ID", "the Entra tenant id");
  const authKind = read("GRAPH_AUTH") ?? "secret";
  let auth: GraphSettings["auth"];
  if (authKind === "secret") {
    auth = {
      kind: "secret",
      clientSecret: need("GRAPH_CLIENT_SECRET", "the app registration's client secret"),
    };
  } else if (authKind === "certificate") {
    auth = {
      kind: "certificate",
      certificatePath: need("GRAPH_CERTIFICATE_PATH", "a PEM certificate with its private key"),
    };
  } else if (authKind === "managedIdentity") {
    auth = { kind: "managedIdentity", clientId: read("GRAPH_MANAGED_IDENTITY_CLIENT_ID") };
  } else {
    problems.push(`GRAPH_AUTH="${authKind}" is not valid: use secret, certificate or managedIdentity`);
    auth = { kind: "managedIdentity" };
  }
  const clientId =
    authKind === "managedIdentity"
      ? (read("GRAPH_CLIENT_ID") ?? "")
      : need("GRAPH_CLIENT_ID", "the app registration's client id");
  const baseUrl = read("GRAPH_BASE_URL") ?? "https://graph.microsoft.com";
  const signInRaw = (read("GRAPH_SIGN_IN_ACTIVITY") ?? "off").toLowerCase();
  if (!["on", "off"].includes(signInRaw))
    problems.push(
      `GRAPH_SIGN_IN_ACTIVITY="${signInRaw}" is not valid: use on (needs AuditLog.Read.All and Entra ID P1) or off`,
    );
  const teamsAppCatalogId = read("TEAMS_APP_CATALOG_ID");
  if (teamsAppCatalogId !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(teamsAppCatalogId))
    problems.push(
      `TEAMS_APP_CATALOG_ID="${teamsAppCatalogId}" is not valid: use the app's id in the Teams app catalog`,
    );
  return {
    tenantId,
    clientId,
    auth,
    baseUrl,
    signInActivity: signInRaw === "on",
    ...(teamsAppCatalogId ? { teamsAppCatalogId } : {}),
  };
}
