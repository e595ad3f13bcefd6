import { strict as assert } from "node:assert";
import { loadConfig, type Config } from "../../src/config";
import { problemsOf, production, STORAGE_ACCOUNT, type Env } from "./support/config-env";

describe("loadConfig: local mode defaults", () => {
  it("runs with no settings at all, on loopback with the emulator and the demo organisation", () => {
    const expected: Config = {
      mode: "local",
      host: "127.0.0.1",
      port: 3978,
      publicUrl: "http://127.0.0.1:3978",
      bot: {
        appId: "",
        appPassword: undefined,
        appType: "",
        tenantId: undefined,
        approvalDigest: { windowMs: 3000, threshold: 3 },
      },
      storage: {
        connectionString: "UseDevelopmentStorage=true",
        tablePrefix: "accessdesk",
        embeddedAzurite: true,
        dataDir: ".data",
      },
      directory: { kind: "local", organizationFile: "demo/organization.yaml" },
      governanceDir: "governance",
      auditRetentionDays: 2557,
      scheduler: {
        enabled: true,
        intervalMs: 15_000,
        batchSize: 100,
        expiryReminderHours: [336, 24],
        reconcileIntervalHours: 24,
      },
      logLevel: "info",
    };
    assert.deepEqual(loadConfig({}), expected);
  });

  const cases: [string, Env, (c: Config) => unknown, unknown][] = [
    [
      "treats blank values as unset",
      { PORT: "  ", LOG_LEVEL: "" },
      (c) => [c.port, c.logLevel],
      [3978, "info"],
    ],
    ["derives the public URL from PORT", { PORT: "4000" }, (c) => c.publicUrl, "http://127.0.0.1:4000"],
    [
      "drops trailing slashes of PUBLIC_URL",
      { PUBLIC_URL: "https://bot.example.com//" },
      (c) => c.publicUrl,
      "https://bot.example.com",
    ],
    [
      "does not embed Azurite for another account",
      { STORAGE_CONNECTION_STRING: STORAGE_ACCOUNT },
      (c) => c.storage.embeddedAzurite,
      false,
    ],
    [
      "reads the reminder offsets in order",
      { EXPIRY_REMINDER_HOURS: "72, 4" },
      (c) => c.scheduler.expiryReminderHours,
      [72, 4],
    ],
    [
      "reads the approvals digest's window in seconds and its threshold",
      { APPROVAL_DIGEST_WINDOW_SECONDS: "5", APPROVAL_DIGEST_THRESHOLD: "0" },
      (c) => c.bot.approvalDigest,
      { windowMs: 5000, threshold: 0 },
    ],
    [
      "turns the scheduler off with SCHEDULER_ENABLED=no",
      { SCHEDULER_ENABLED: "no" },
      (c) => c.scheduler.enabled,
      false,
    ],
    [
      "defaults the app type to SingleTenant once an app id is set",
      { MicrosoftAppId: "a", MicrosoftAppPassword: "p", MicrosoftAppTenantId: "t" },
      (c) => c.bot.appType,
      "SingleTenant",
    ],
  ];
  for (const [name, env, pick, expected] of cases) {
    it(name, () => assert.deepEqual(pick(loadConfig(env)), expected));
  }
});

describe("loadConfig: where first messages open a chat (BOT_SERVICE_URL)", () => {
  it("is Teams' global service URL in production, so people who never opened the bot can be reached", () => {
    assert.equal(loadConfig(production).bot.serviceUrl, "https://smba.trafficmanager.net/teams");
  });
  it("is the local chat page in local mode unless set", () => {
    assert.equal(loadConfig({}).bot.serviceUrl, undefined);
    assert.equal(
      loadConfig({ BOT_SERVICE_URL: "http://127.0.0.1:4000/local-channel/" }).bot.serviceUrl,
      "http://127.0.0.1:4000/local-channel",
    );
  });
  it("takes a regional or sovereign cloud's address, and refuses what is no http(s) URL", () => {
    const gcc = "https://smba.infra.gcc.teams.microsoft.com/teams";
    assert.equal(loadConfig({ ...production, BOT_SERVICE_URL: gcc }).bot.serviceUrl, gcc);
    assert.throws(() => loadConfig({ BOT_SERVICE_URL: "smba" }), /BOT_SERVICE_URL="smba" is not valid/);
  });
});

describe("loadConfig: production mode", () => {
  it("accepts a complete production environment and listens on every interface", () => {
    const config = loadConfig(production);
    assert.equal(config.mode, "production");
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.storage.embeddedAzurite, false);
    assert.deepEqual(config.directory, {
      kind: "graph",
      graph: {
        tenantId: "tenant",
        clientId: "graph-app",
        auth: { kind: "secret", clientSecret: "graph-secret" },
        baseUrl: "https://graph.microsoft.com",
        signInActivity: false,
      },
    });
  });

  const refusals: [string, Env, RegExp][] = [
    ["a missing MicrosoftAppId", { MicrosoftAppId: undefined }, /^MicrosoftAppId is not set/],
    [
      "the storage emulator shortcut",
      { STORAGE_CONNECTION_STRING: undefined },
      /^STORAGE_CONNECTION_STRING points at the storage emulator/,
    ],
    [
      "an emulator on loopback",
      {
        STORAGE_CONNECTION_STRING:
          "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;",
      },
      /^STORAGE_CONNECTION_STRING points at the storage emulator/,
    ],
    [
      "the local directory",
      { DIRECTORY: "local" },
      /^DIRECTORY is local in production mode: set DIRECTORY=graph/,
    ],
    ["the local directory by default", { DIRECTORY: undefined }, /^DIRECTORY is local/],
    ["a missing bot password", { MicrosoftAppPassword: undefined }, /^MicrosoftAppPassword is not set/],
  ];
  for (const [name, patch, message] of refusals) {
    it(`refuses ${name}, naming the variable`, () => {
      const problems = problemsOf({ ...production, ...patch });
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0]!, message);
    });
  }

  it("reads the governance administrators group, and refuses one that is not an object id", () => {
    assert.equal(loadConfig({}).governanceAdministratorsGroupId, undefined);
    const id = "22222222-0000-4000-8000-000000000005";
    assert.equal(loadConfig({ GOVERNANCE_ADMINISTRATORS_GROUP_ID: id }).governanceAdministratorsGroupId, id);
    const problems = problemsOf({ GOVERNANCE_ADMINISTRATORS_GROUP_ID: "IT admins" });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /GOVERNANCE_ADMINISTRATORS_GROUP_ID="IT admins" is not valid/);
  });

  it("allows the local directory for a demo with ALLOW_LOCAL_DIRECTORY=true", () => {
    const config = loadConfig({ ...production, DIRECTORY: "local", ALLOW_LOCAL_DIRECTORY: "true" });
    assert.equal(config.directory.kind, "local");
  });

  it("lists every problem at once, each naming its variable", () => {
    const env: Env = { NODE_ENV: "production", PORT: "x", LOG_LEVEL: "loud" };
    const problems = problemsOf(env);
    const named = ["PORT", "MicrosoftAppId", "STORAGE_CONNECTION_STRING", "DIRECTORY", "LOG_LEVEL"];
    assert.equal(problems.length, named.length, problems.join("\n"));
    for (const name of named)
      assert.ok(
        problems.some((p) => p.startsWith(name)),
        `no problem names ${name}`,
      );
    assert.throws(
      () => loadConfig(env),
      (e: Error) =>
        named.every((name) => e.message.includes(`\n- ${name}`)) && /see \.env\.example/.test(e.message),
    );
  });
});

describe("loadConfig: invalid values", () => {
  const invalid: [string, Env, RegExp][] = [
    [
      "PORT that is not a number",
      { PORT: "http" },
      /^PORT="http" is not valid: use a whole number from \d to 65535/,
    ],
    ["PORT above 65535", { PORT: "70000" }, /^PORT="70000"/],
    ["PORT with a fraction", { PORT: "80.5" }, /^PORT="80.5"/],
    [
      "LOG_LEVEL outside pino's levels",
      { LOG_LEVEL: "verbose" },
      /^LOG_LEVEL="verbose" is not valid: use fatal, error/,
    ],
    [
      "MicrosoftAppType that is not a bot type",
      { MicrosoftAppType: "Tenant" },
      /^MicrosoftAppType="Tenant" is not valid: use SingleTenant, MultiTenant or UserAssignedMSI/,
    ],
    [
      "EXPIRY_REMINDER_HOURS with a word",
      { EXPIRY_REMINDER_HOURS: "336,soon" },
      /^EXPIRY_REMINDER_HOURS="336,soon" is not valid/,
    ],
    ["EXPIRY_REMINDER_HOURS with zero", { EXPIRY_REMINDER_HOURS: "0" }, /^EXPIRY_REMINDER_HOURS="0"/],
    [
      "EXPIRY_REMINDER_HOURS with a negative offset",
      { EXPIRY_REMINDER_HOURS: "24,-1" },
      /^EXPIRY_REMINDER_HOURS="24,-1"/,
    ],
    [
      "EXPIRY_REMINDER_HOURS with an empty item",
      { EXPIRY_REMINDER_HOURS: "24,,1" },
      /^EXPIRY_REMINDER_HOURS="24,,1"/,
    ],
    [
      "STORAGE_TABLE_PREFIX starting with a digit",
      { STORAGE_TABLE_PREFIX: "1desk" },
      /^STORAGE_TABLE_PREFIX="1desk" is not valid: letters and digits/,
    ],
    [
      "STORAGE_TABLE_PREFIX with a dash",
      { STORAGE_TABLE_PREFIX: "access-desk" },
      /^STORAGE_TABLE_PREFIX="access-desk"/,
    ],
    [
      "STORAGE_TABLE_PREFIX longer than 30 characters",
      { STORAGE_TABLE_PREFIX: "a".repeat(31) },
      /^STORAGE_TABLE_PREFIX=/,
    ],
    ["DIRECTORY that is neither local nor graph", { DIRECTORY: "ldap" }, /^DIRECTORY="ldap" is not valid/],
    [
      "SCHEDULER_ENABLED that is not a boolean",
      { SCHEDULER_ENABLED: "maybe" },
      /^SCHEDULER_ENABLED="maybe" is not valid: use true or false/,
    ],
  ];
  for (const [name, env, message] of invalid) {
    it(`rejects ${name}`, () => {
      const problems = problemsOf(env);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0]!, message);
    });
  }
});
