import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createTableStores, type TableStores } from "../../src/adapters/tables";
import { devConnectionString } from "../../src/dev/azurite";
import type { GovernanceConfig } from "../../src/domain/model";
import { applyGovernanceFromDir } from "../../src/governance/apply";
import { loadGovernance } from "../../src/governance/load";
import { planGovernance } from "../../src/governance/plan";
import { startAzurite, type RunningAzurite } from "../support/azurite";
import {
  startStorageFaultProxy,
  type HoldPoint,
  type ProxiedRequest,
  type StorageFaultProxy,
} from "../support/storage-fault-proxy";
import { freshTablePrefix } from "../support/stores";
import { governanceDirWithBulk } from "./support/governance-dirs";

const ADMIN = "u-crash-admin";

/** The request text with percent escapes undone (keys in URLs are escaped, in batch bodies not always). */
const text = (r: ProxiedRequest) => {
  const raw = `${r.method} ${r.url}\n${r.body}`;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/**
 * Issue 9 §5: `npm run governance -- apply` killed with SIGKILL at chosen storage requests (a proxy
 * in front of Azurite holds the request, or its answer, and the test kills the process) leaves the
 * old configuration or the new one, never a mix; a rerun audits every change exactly once.
 */
describe("governance apply killed with SIGKILL (a child process; Azurite behind a proxy)", function () {
  this.timeout(30_000);
  let azurite: RunningAzurite;
  let proxy: StorageFaultProxy;
  let oldDir: string;
  let newDir: string;
  let oldConfig: GovernanceConfig;
  let newConfig: GovernanceConfig;
  let changes: number;

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
    proxy = await startStorageFaultProxy(azurite.port);
    // The demo's 9 packages plus 60, with their policies: about 150 rows, and the audit rows of
    // about 70 changes, so the new version takes three transactions before the switch.
    oldDir = governanceDirWithBulk(60, "one");
    newDir = governanceDirWithBulk(60, "two", 6);
    const configOf = async (dir: string) => {
      const loaded = await loadGovernance(dir);
      if (!loaded.ok) throw new Error(`fixture ${dir} must be valid`);
      return loaded.config;
    };
    oldConfig = await configOf(oldDir);
    newConfig = await configOf(newDir);
    changes = planGovernance(oldConfig, newConfig).length;
  });
  after(async () => {
    await proxy?.close();
    await azurite?.stop();
    for (const dir of [oldDir, newDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Fresh tables holding the old configuration; the stores talk to Azurite directly. */
  async function seeded(): Promise<{ prefix: string; stores: TableStores }> {
    const prefix = freshTablePrefix("gk");
    const stores = createTableStores(azurite.connectionString, { tablePrefix: prefix });
    await stores.ensureTables();
    await stores.governance.save(oldConfig);
    return { prefix, stores };
  }

  /** `npm run governance -- apply` as a child process against `port` (the proxy, or Azurite). */
  function governanceApply(prefix: string, port: number) {
    const child = spawn(
      process.execPath,
      ["--require", "tsx/cjs", "src/cli/governance.ts", "apply", "--dir", newDir, "--actor", ADMIN],
      {
        env: {
          ...process.env,
          NODE_ENV: "development",
          STORAGE_CONNECTION_STRING: devConnectionString(port),
          STORAGE_TABLE_PREFIX: prefix,
          EMBEDDED_AZURITE: "false",
          DIRECTORY: "local",
          LOG_LEVEL: "silent",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  /** Runs the apply through the proxy and kills it with SIGKILL once `matches` is held at `at`. */
  async function killAt(prefix: string, matches: (r: ProxiedRequest) => boolean, at: HoldPoint) {
    const held = proxy.holdFirst(matches, at);
    const run = governanceApply(prefix, proxy.port);
    const first = await Promise.race([
      held.then(() => "held" as const),
      run.exited.then(() => "exited" as const),
    ]);
    if (first === "exited") {
      proxy.disarm();
      assert.fail(`the apply ended before the kill point:\n${run.output()}`);
    }
    run.child.kill("SIGKILL");
    await run.exited;
  }

  async function stored(stores: TableStores): Promise<"old" | "new"> {
    const config = await stores.governance.load();
    if (JSON.stringify(config) === JSON.stringify(oldConfig)) return "old";
    assert.deepEqual(config, newConfig, "the old configuration or the new one, never a mix");
    return "new";
  }

  async function audited(stores: TableStores) {
    const rows = await stores.audit.query({ limit: 2000 });
    return rows.filter((e) => e.actor === ADMIN && e.action === "config.changed");
  }

  /** A rerun (here in-process: the same applyGovernance the command runs) completes and audits. */
  async function rerun(stores: TableStores): Promise<void> {
    const result = await applyGovernanceFromDir(newDir, {
      store: stores.governance,
      audit: stores.audit,
      actor: ADMIN,
      now: new Date().toISOString(),
    });
    assert.ok(result.ok);
    await assertAuditedOnce(stores);
  }

  async function assertAuditedOnce(stores: TableStores): Promise<void> {
    assert.deepEqual(await stores.governance.load(), newConfig);
    const rows = await audited(stores);
    assert.equal(rows.length, changes, "every change audited");
    assert.equal(new Set(rows.map((e) => e.subject)).size, changes, "each change audited once");
  }

  const governanceWrite = (prefix: string) => (r: ProxiedRequest) =>
    r.method !== "GET" && text(r).includes(`${prefix}Governance`);
  const isSwitch = (prefix: string) => (r: ProxiedRequest) =>
    governanceWrite(prefix)(r) && r.url.includes("$batch") && text(r).includes("RowKey='current'");

  it("killed while the new version's rows are written: the old configuration, then the rerun", async () => {
    const { prefix, stores } = await seeded();
    let batches = 0;
    await killAt(
      prefix,
      (r) => governanceWrite(prefix)(r) && r.url.includes("$batch") && (batches += 1) === 2,
      "request",
    );
    assert.equal(await stored(stores), "old");
    assert.deepEqual(await audited(stores), []);
    await rerun(stores);
  });

  it("killed just before the switch: the old configuration, nothing audited", async () => {
    const { prefix, stores } = await seeded();
    await killAt(prefix, isSwitch(prefix), "request");
    assert.equal(await stored(stores), "old");
    assert.deepEqual(await audited(stores), []);
    await rerun(stores);
  });

  it("killed right after the switch, before any audit row: the new configuration; a rerun of the command audits it", async () => {
    const { prefix, stores } = await seeded();
    await killAt(prefix, isSwitch(prefix), "answer");
    assert.equal(await stored(stores), "new");
    assert.deepEqual(await audited(stores), [], "killed before the audit rows");
    const again = governanceApply(prefix, azurite.port);
    assert.equal(await again.exited, 0, again.output());
    assert.match(again.output(), /Nothing to apply\./);
    await assertAuditedOnce(stores);
  });

  it("killed halfway through the audit rows: the new configuration; the rerun adds the missing rows", async () => {
    const { prefix, stores } = await seeded();
    // The day chain's transaction (entries, their head; what time queries and verify read) is held;
    // the query copies (subject and user partitions) were inserted before it.
    await killAt(
      prefix,
      (r) =>
        r.method === "POST" &&
        r.url.includes("$batch") &&
        text(r).includes(`${prefix}Audit`) &&
        /"PartitionKey":\s*"d\|/.test(text(r)),
      "request",
    );
    assert.equal(await stored(stores), "new");
    assert.deepEqual(await audited(stores), [], "the day's rows are missing");
    await rerun(stores);
  });

  it("killed before the audit rows are confirmed: the rerun writes them again without doubling any", async () => {
    const { prefix, stores } = await seeded();
    await killAt(
      prefix,
      (r) =>
        ["PATCH", "MERGE"].includes(r.method) &&
        text(r).includes(`${prefix}Governance(PartitionKey='head',RowKey='current')`),
      "request",
    );
    assert.equal(await stored(stores), "new");
    assert.equal((await audited(stores)).length, changes);
    assert.equal((await stores.governance.owedAudit()).length, 1, "still owed");
    await rerun(stores);
    assert.deepEqual(await stores.governance.owedAudit(), []);
  });
});
