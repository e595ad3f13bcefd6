import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { readBot } from "./config/bot";
import { readDirectory } from "./config/directory";
import { envReader } from "./config/env-reader";
import { readExtensions } from "./config/extensions";
import { readGovernanceAccess } from "./config/governance-access";
import { readExpiryReminderHours, readScheduler } from "./config/scheduler";
import type { Config, Mode } from "./config/settings";
import { readStepUp } from "./config/step-up";
import { readStorage } from "./config/storage";

/**
 * Reads and validates the environment once. Nothing else reads `process.env`: every module gets its
 * settings from the `Config` built here, and a wrong setting stops the process with a message that
 * names the variable and what to put there. Each area's settings are read in src/config/, from the
 * environment record handed to it.
 */
export type { Config, GraphSettings, Mode, StepUpSettings } from "./config/settings";
export { pointsAtEmulator } from "./config/storage";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Access Desk cannot start; fix these settings (see .env.example):\n- ${problems.join("\n- ")}`);
    this.name = "ConfigError";
  }
}

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

/** Every area is read (in this order, which is the order of the problems) before any problem stops the start. */
export function loadConfig(env: NodeJS.ProcessEnv = readEnvironment()): Config {
  const reader = envReader(env);
  const { read, int, problems } = reader;

  const mode: Mode = read("NODE_ENV") === "production" ? "production" : "local";
  const host = read("HOST") ?? (mode === "local" ? "127.0.0.1" : "0.0.0.0");
  const port = int("PORT", 3978, 0, 65535);
  const publicUrl = (read("PUBLIC_URL") ?? `http://127.0.0.1:${port}`).replace(/\/+$/, "");

  const bot = readBot(reader, mode);
  const storage = readStorage(reader, mode);
  const directory = readDirectory(reader, mode);
  const expiryReminderHours = readExpiryReminderHours(reader);
  const governanceAccess = readGovernanceAccess(reader);
  const extensions = readExtensions(reader);
  const logLevel = read("LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL="${logLevel}" is not valid: use ${LOG_LEVELS.join(", ")}`);

  const stepUp = readStepUp(reader, bot.tenantId);
  const config: Config = {
    mode,
    ...(stepUp ? { stepUp } : {}),
    host,
    port,
    publicUrl,
    bot: {
      appId: bot.appId,
      appPassword: bot.appPassword,
      appType: bot.appType,
      tenantId: bot.tenantId,
      approvalDigest: {
        windowMs: int("APPROVAL_DIGEST_WINDOW_SECONDS", 3, 1, 60) * 1000,
        threshold: int("APPROVAL_DIGEST_THRESHOLD", 3, 0, 100),
      },
      ...(bot.serviceUrl ? { serviceUrl: bot.serviceUrl } : {}),
    },
    storage,
    directory,
    governanceDir: read("GOVERNANCE_DIR") ?? "governance",
    ...governanceAccess,
    auditRetentionDays: int("AUDIT_RETENTION_DAYS", 2557, 1, 36_500),
    scheduler: readScheduler(reader, expiryReminderHours),
    logLevel,
    ...(extensions ? { extensions } : {}),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
