import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, loadConfig, readEnvironment, type Config } from "../../src/config";

type Env = Record<string, string | undefined>;

/** The problems `loadConfig` reports for `env`, or [] when it accepts it. */
function problemsOf(env: Env): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const STORAGE_ACCOUNT =
  "DefaultEndpointsProtocol=https;AccountName=accessdeskprod;AccountKey=a2V5;EndpointSuffix=core.windows.net";

/** A production environment that passes: a SingleTenant bot, a real account, Graph with a secret. */
const production: Env = {
  NODE_ENV: "production",
  MicrosoftAppId: "00000000-0000-0000-0000-00000000000a",
  MicrosoftAppPassword: "bot-secret",
  MicrosoftAppTenantId: "00000000-0000-0000-0000-00000000000t",
  STORAGE_CONNECTION_STRING: STORAGE_ACCOUNT,
  DIRECTORY: "graph",
  GRAPH_TENANT_ID: "tenant",
  GRAPH_CLIENT_ID: "graph-app",
  GRAPH_CLIENT_SECRET: "graph-secret",
};

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

describe("loadConfig: Microsoft Graph directory", () => {
  const graph: Env = { DIRECTORY: "graph", GRAPH_TENANT_ID: "tenant", GRAPH_CLIENT_ID: "app" };
  const cases: [string, Env, string[]][] = [
    [
      "secret auth needs the tenant, client id and secret",
      { DIRECTORY: "graph" },
      ["GRAPH_TENANT_ID", "GRAPH_CLIENT_SECRET", "GRAPH_CLIENT_ID"],
    ],
    ["secret auth is complete with all three", { ...graph, GRAPH_CLIENT_SECRET: "s" }, []],
    [
      "certificate auth needs a certificate path",
      { ...graph, GRAPH_AUTH: "certificate" },
      ["GRAPH_CERTIFICATE_PATH"],
    ],
    [
      "certificate auth needs no secret",
      { ...graph, GRAPH_AUTH: "certificate", GRAPH_CERTIFICATE_PATH: "/c.pem" },
      [],
    ],
    [
      "managed identity needs nothing secret",
      { DIRECTORY: "graph", GRAPH_TENANT_ID: "tenant", GRAPH_AUTH: "managedIdentity" },
      [],
    ],
    ["an unknown GRAPH_AUTH is named", { ...graph, GRAPH_AUTH: "password" }, ["GRAPH_AUTH"]],
  ];
  for (const [name, env, named] of cases) {
    it(name, () => {
      const problems = problemsOf(env);
      assert.deepEqual(
        problems.map((p) => /^[A-Za-z_]+/.exec(p)![0]),
        named,
        problems.join("\n"),
      );
    });
  }

  it("keeps the managed identity's client id and the certificate path", () => {
    const mi = loadConfig({
      ...graph,
      GRAPH_AUTH: "managedIdentity",
      GRAPH_MANAGED_IDENTITY_CLIENT_ID: "mi",
    });
    assert.deepEqual(mi.directory.kind === "graph" && mi.directory.graph.auth, {
      kind: "managedIdentity",
      clientId: "mi",
    });
    const cert = loadConfig({ ...graph, GRAPH_AUTH: "certificate", GRAPH_CERTIFICATE_PATH: "/c.pem" });
    assert.deepEqual(cert.directory.kind === "graph" && cert.directory.graph.auth, {
      kind: "certificate",
      certificatePath: "/c.pem",
    });
  });
});

describe("loadConfig: the bot's app registration", () => {
  const cases: [string, Env, string[]][] = [
    [
      "SingleTenant needs MicrosoftAppTenantId",
      { MicrosoftAppId: "a", MicrosoftAppPassword: "p", MicrosoftAppType: "SingleTenant" },
      ["MicrosoftAppTenantId"],
    ],
    [
      "SingleTenant is complete with its tenant",
      { MicrosoftAppId: "a", MicrosoftAppPassword: "p", MicrosoftAppTenantId: "t" },
      [],
    ],
    [
      "MultiTenant needs no tenant",
      { MicrosoftAppId: "a", MicrosoftAppPassword: "p", MicrosoftAppType: "MultiTenant" },
      [],
    ],
    [
      "a user-assigned managed identity needs no password",
      { MicrosoftAppId: "a", MicrosoftAppType: "UserAssignedMSI" },
      [],
    ],
    [
      "a client-secret bot needs its password",
      { MicrosoftAppId: "a", MicrosoftAppType: "MultiTenant" },
      ["MicrosoftAppPassword"],
    ],
  ];
  for (const [name, env, named] of cases) {
    it(name, () => {
      const problems = problemsOf(env);
      assert.deepEqual(
        problems.map((p) => /^[A-Za-z_]+/.exec(p)![0]),
        named,
        problems.join("\n"),
      );
    });
  }
});

describe("readEnvironment: a .env file under the environment", () => {
  it("reads settings from the file, lets the environment win, and needs no file at all", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "access-desk-env-"));
    const file = path.join(dir, ".env");
    writeFileSync(file, "# comment\nLOG_LEVEL=debug\nSCHEDULER_INTERVAL_MS=5000\nPATH=/from/file\n");
    const env = readEnvironment(file);
    assert.equal(env.LOG_LEVEL, "debug");
    assert.equal(env.PATH, process.env.PATH, "the environment wins over the file");
    assert.equal(loadConfig(env).scheduler.intervalMs, 5000);
    assert.equal(readEnvironment(path.join(dir, "missing.env")).LOG_LEVEL, process.env.LOG_LEVEL);
    const saved = process.env.SCHEDULER_INTERVAL_MS;
    process.env.SCHEDULER_INTERVAL_MS = "";
    try {
      assert.equal(
        readEnvironment(file).SCHEDULER_INTERVAL_MS,
        "5000",
        "a variable set but empty hides nothing",
      );
    } finally {
      if (saved === undefined) delete process.env.SCHEDULER_INTERVAL_MS;
      else process.env.SCHEDULER_INTERVAL_MS = saved;
    }
  });
});

describe("loadConfig: production refuses every spelling of a storage emulator", () => {
  const endpoint = (host: string) =>
    `DefaultEndpointsProtocol=http;AccountName=accessdesk;AccountKey=a2V5;TableEndpoint=http://${host}/accessdesk;`;
  const emulators: [string, string][] = [
    ["LOCALHOST in capitals", endpoint("LOCALHOST:10002")],
    ["127.1 (short IPv4)", endpoint("127.1:10002")],
    ["another 127.x.x.x address", endpoint("127.0.0.2:10002")],
    ["127.255.255.254", endpoint("127.255.255.254")],
    ["IPv4 loopback written as one number", endpoint("2130706433:10002")],
    ["IPv4 loopback in hex", endpoint("0x7f000001:10002")],
    ["[::1]", endpoint("[::1]:10002")],
    ["the IPv6 loopback written out", endpoint("[0:0:0:0:0:0:0:1]:10002")],
    ["IPv4-mapped IPv6 loopback", endpoint("[::ffff:127.0.0.1]:10002")],
    ["0.0.0.0", endpoint("0.0.0.0:10002")],
    ["[::]", endpoint("[::]:10002")],
    ["a .localhost name", endpoint("azurite.localhost:10002")],
    ["localhost with a trailing dot", endpoint("localhost.:10002")],
    [
      "the emulator account in capitals",
      endpoint("tables.example.com").replace("accessdesk;", "DEVSTOREACCOUNT1;"),
    ],
    ["the emulator shortcut in another case", "usedevelopmentstorage=TRUE"],
    ["the emulator shortcut with spaces", " UseDevelopmentStorage = true ; "],
    ["a blob endpoint on loopback", `${STORAGE_ACCOUNT};BlobEndpoint=http://127.1:10000/accessdesk`],
  ];
  for (const [name, connectionString] of emulators) {
    it(`refuses ${name}`, () => {
      const problems = problemsOf({ ...production, STORAGE_CONNECTION_STRING: connectionString });
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0]!, /^STORAGE_CONNECTION_STRING points at the storage emulator/);
      assert.ok(!problems[0]!.includes("a2V5"), "the account key is never printed");
    });
  }

  it("accepts real accounts whose names merely contain loopback-like words", () => {
    for (const connectionString of [
      STORAGE_ACCOUNT,
      "DefaultEndpointsProtocol=https;AccountName=localhostfans;AccountKey=a2V5;EndpointSuffix=core.windows.net",
      "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;TableEndpoint=https://127x.table.core.windows.net/",
    ]) {
      assert.deepEqual(problemsOf({ ...production, STORAGE_CONNECTION_STRING: connectionString }), []);
    }
  });
});
