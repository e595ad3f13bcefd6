import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import path from "node:path";
import { azuriteForSuite } from "../../../support/azurite";
import { azuriteStores } from "../../../support/stores";
import { entry } from "./support";

const ROOT = path.resolve(__dirname, "../../../..");

function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "src/cli/audit.ts"), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run audit against table storage", function () {
  this.timeout(60_000);
  let env: NodeJS.ProcessEnv;

  const azurite = azuriteForSuite();
  before(async () => {
    const prefix = "auditcli";
    env = { STORAGE_CONNECTION_STRING: azurite().connectionString, STORAGE_TABLE_PREFIX: prefix };
    const stores = await azuriteStores(azurite(), { tablePrefix: prefix });
    await stores.audit.append([
      entry(1, { targetUserId: "alice", packageId: "pkg-analyst", subject: "request:req-a1" }),
      entry(2, { targetUserId: "bob", packageId: "pkg-analyst", reason: "=1+1", subject: "request:req-b1" }),
    ]);
  });

  it("reads the entries from the configured storage account", async () => {
    const result = await cli(["--package", "pkg-analyst", "--format", "csv"], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\r\n");
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /request:req-b1.*'=1\+1/);
  });

  it("exits 2 on a bad date before touching storage", async () => {
    const result = await cli(["--from", "2026-13-01"], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--from "2026-13-01" is not an ISO-8601 date/);
  });

  it("exits 1 with a clear message when the audit table does not exist", async () => {
    const result = await cli(["--user", "alice"], { ...env, STORAGE_TABLE_PREFIX: "nothinghere" });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /audit table does not exist/);
  });
});
