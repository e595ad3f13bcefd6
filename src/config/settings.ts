/**
 * The shape of Access Desk's settings. `src/config.ts` builds a `Config` from the environment once;
 * every other module receives the part it needs from it.
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
