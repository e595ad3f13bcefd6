import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, readEnvironment } from "../../src/config";
import { itNamesProblems, problemsOf, production, STORAGE_ACCOUNT, type Env } from "./support/config-env";

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
  itNamesProblems(cases);

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
  itNamesProblems(cases);
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
