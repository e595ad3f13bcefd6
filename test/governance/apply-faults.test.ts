import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import {
  createTableStores,
  TableAuditLog,
  TableGovernanceStore,
  type TableStores,
} from "../../src/adapters/tables";
import { jsonColumns } from "../../src/adapters/tables/json-columns";
import type { GovernanceConfig } from "../../src/domain/model";
import { applyGovernance } from "../../src/governance/apply";
import { planGovernance } from "../../src/governance/plan";
import { azuriteForSuite } from "../support/azurite";
import { failWrite, WriteSequence, type TableWrite, type WriteHook } from "../support/faulty-table-client";
import { freshTablePrefix } from "../support/stores";
import { bigConfig } from "./support/big-config";

const NOW = "2026-11-23T10:00:00.000Z";
const LATER = "2026-11-23T11:00:00.000Z";

/**
 * Issue 9 §5: `governance apply` is all or nothing. A storage error at any write of an apply leaves
 * the old configuration or the new one, whole; a rerun finishes the job and audits each change once.
 */
describe("governance apply against storage errors (Azurite)", function () {
  this.timeout(20_000);
  let oldConfig: GovernanceConfig;
  let newConfig: GovernanceConfig;
  let changes: number;

  const azurite = azuriteForSuite();
  before(async () => {
    // 245 rows before, 245 after: 20 packages (and policies) go, 20 come, 100 change.
    oldConfig = await bigConfig(120, "one");
    newConfig = await bigConfig(120, "two", 21);
    changes = planGovernance(oldConfig, newConfig).length;
  });

  const client = (prefix: string, table: string) =>
    TableClient.fromConnectionString(azurite().connectionString, prefix + table, {
      allowInsecureConnection: true,
    });

  /** Fresh tables holding `before` (saved without audit rows), and stores on them. */
  async function world(): Promise<{ prefix: string; stores: TableStores }> {
    const prefix = freshTablePrefix("gf");
    const stores = createTableStores(azurite().connectionString, { tablePrefix: prefix });
    await stores.ensureTables();
    await stores.governance.save(oldConfig);
    return { prefix, stores };
  }

  /** The governance store and audit log of one apply, their writes counted (and faulted) by `hook`. */
  function faulty(prefix: string, hook?: WriteHook, graceMs?: number) {
    const writes = new WriteSequence(hook);
    return {
      writes,
      store: new TableGovernanceStore(writes.wrap(client(prefix, "Governance")), { graceMs }),
      audit: new TableAuditLog(writes.wrap(client(prefix, "Audit"))),
    };
  }

  const apply = (
    target: {
      store: TableGovernanceStore | TableStores["governance"];
      audit: TableAuditLog | TableStores["audit"];
    },
    now = NOW,
  ) =>
    applyGovernance({ store: target.store, audit: target.audit, desired: newConfig, actor: "u-admin", now });

  async function adminRows(stores: TableStores) {
    const rows = await stores.audit.query({ limit: 1000 });
    return rows.filter((e) => e.actor === "u-admin" && e.action === "config.changed");
  }

  async function assertOldOrNew(stores: TableStores): Promise<"old" | "new"> {
    const stored = await stores.governance.load();
    if (JSON.stringify(stored) === JSON.stringify(oldConfig)) return "old";
    assert.deepEqual(
      stored,
      newConfig,
      "the stored configuration is the old one or the new one, never a mix",
    );
    return "new";
  }

  async function assertRerunCompletes(stores: TableStores): Promise<void> {
    await apply({ store: stores.governance, audit: stores.audit }, LATER);
    assert.deepEqual(await stores.governance.load(), newConfig);
    const rows = await adminRows(stores);
    assert.equal(rows.length, changes, "every change audited");
    assert.equal(new Set(rows.map((e) => e.subject)).size, changes, "each change audited once");
  }

  it("a clean apply writes the new configuration and audits every change once", async () => {
    const { prefix, stores } = await world();
    const target = faulty(prefix);
    assert.equal((await apply(target)).length, changes);
    assert.deepEqual(await stores.governance.load(), newConfig);
    assert.equal((await adminRows(stores)).length, changes);
    assert.ok(target.writes.writes.length > 6, "the apply spans several transactions");
  });

  it("a 503 at the second transaction of the apply leaves the old configuration, complete", async () => {
    const { prefix, stores } = await world();
    const seen: TableWrite[] = [];
    let transactions = 0;
    const target = faulty(prefix, (write) => {
      seen.push(write);
      if (write.table.endsWith("Governance") && write.method === "submitTransaction") {
        transactions += 1;
        if (transactions === 2) failWrite(write.index)(write);
      }
    });
    await assert.rejects(apply(target), /unable to receive requests/);
    assert.deepEqual(await stores.governance.load(), oldConfig, "the old configuration, whole");
    assert.deepEqual(await adminRows(stores), [], "nothing audited that did not happen");
    await assertRerunCompletes(stores);
  });

  // Every write of the governance table in turn: register, 5 transactions of rows, the switch, the
  // confirmation of the audit rows.
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`a 503 at governance write ${n} leaves the old or the new configuration; a rerun audits each change once`, async () => {
      const { prefix, stores } = await world();
      let governanceWrites = 0;
      const target = faulty(prefix, (write) => {
        if (!write.table.endsWith("Governance")) return;
        governanceWrites += 1;
        if (governanceWrites === n) failWrite(write.index)(write);
      });
      const outcome = await apply(target).then(
        () => "done",
        () => "failed",
      );
      const stored = await assertOldOrNew(stores);
      if (outcome === "failed" && stored === "old") {
        assert.deepEqual(await adminRows(stores), [], "nothing audited that did not happen");
      }
      await assertRerunCompletes(stores);
    });
  }

  it("the audit log unavailable after the switch: the new configuration, audited by the rerun", async () => {
    const { prefix, stores } = await world();
    const target = faulty(prefix, (write) => {
      if (write.table.endsWith("Audit")) failWrite(write.index)(write);
    });
    await assert.rejects(apply(target), /unable to receive requests/);
    assert.equal(await assertOldOrNew(stores), "new");
    assert.deepEqual(await adminRows(stores), []);
    await assertRerunCompletes(stores);
  });

  it("a switch whose answer is lost and whose retry finds the ETag moved stands, audited at once", async () => {
    const { prefix, stores } = await world();
    let lost = false;
    const target = faulty(prefix, (write) => {
      const head = JSON.stringify(write.args).includes('"partitionKey":"head"');
      if (lost || write.method !== "submitTransaction" || !head) return;
      lost = true;
      // What the SDK reports when it retries a switch that had succeeded: the ETag has moved.
      return () => {
        throw Object.assign(new Error("precondition failed"), { statusCode: 412 });
      };
    });
    assert.equal((await apply(target)).length, changes, "reported as applied");
    assert.ok(lost);
    assert.deepEqual(await stores.governance.load(), newConfig);
    assert.equal((await adminRows(stores)).length, changes, "audited without a rerun");
    assert.deepEqual(await stores.governance.owedAudit(), []);
  });

  it("a change that loses the switch to another one is decided again on the winner's configuration", async () => {
    const { prefix, stores } = await world();
    const rival = await bigConfig(3, "rival");
    let raced = false;
    const target = faulty(prefix, async (write) => {
      const head = JSON.stringify(write.args).includes('"partitionKey":"head"');
      if (!raced && write.method === "submitTransaction" && head) {
        raced = true;
        await applyGovernance({
          store: stores.governance,
          audit: stores.audit,
          desired: rival,
          actor: "u-rival",
          now: NOW,
        });
      }
    });
    const applied = await apply(target);
    assert.ok(raced);
    assert.deepEqual(await stores.governance.load(), newConfig);
    assert.equal(
      applied.length,
      planGovernance(rival, newConfig).length,
      "planned again on the winner's version",
    );
    assert.equal((await adminRows(stores)).length, applied.length);
  });

  it("collects the versions a crashed apply left behind, keeping the current one and a few before", async () => {
    const { prefix, stores } = await world();
    const crashed = faulty(prefix, (write) => {
      if (write.table.endsWith("Governance") && write.index === 3) failWrite(write.index)(write);
    });
    await assert.rejects(apply(crashed));
    const rows = async () => {
      const found = new Map<string, number>();
      for await (const row of client(prefix, "Governance").listEntities()) {
        found.set(row.partitionKey!, (found.get(row.partitionKey!) ?? 0) + 1);
      }
      return found;
    };
    assert.equal([...(await rows()).keys()].filter((p) => p.startsWith("v|")).length, 2, "a leftover");
    // The grace period protects a version another process may be writing; here it is over.
    const rerun = faulty(prefix, undefined, 0);
    await apply(rerun, LATER);
    for (let i = 0; i < 4; i += 1) {
      await applyGovernance({
        store: rerun.store,
        audit: rerun.audit,
        desired: i % 2 ? newConfig : oldConfig,
        actor: "u-admin",
        now: LATER,
      });
    }
    const partitions = [...(await rows()).keys()].filter((p) => p.startsWith("v|"));
    assert.equal(partitions.length, 4, "the current version and the three before it");
    assert.deepEqual(await stores.governance.load(), newConfig);
  });

  it("reads the first layout (rows in partition config) until the first switch, then removes it", async () => {
    const prefix = freshTablePrefix("gl");
    const stores = createTableStores(azurite().connectionString, { tablePrefix: prefix });
    await stores.ensureTables();
    const legacy = client(prefix, "Governance");
    const sections = ["catalogs", "packages", "policies", "connectedOrganizations"] as const;
    for (const section of sections) {
      for (const [position, item] of (oldConfig[section] as { id: string }[]).entries()) {
        await legacy.createEntity({
          partitionKey: "config",
          rowKey: `${section}|${item.id}`,
          section,
          position,
          ...jsonColumns(section, item),
        });
      }
    }
    assert.deepEqual(await stores.governance.load(), oldConfig);
    await apply({ store: stores.governance, audit: stores.audit });
    assert.deepEqual(await stores.governance.load(), newConfig);
    const left = legacy.listEntities({ queryOptions: { filter: "PartitionKey eq 'config'" } });
    for await (const row of left) assert.fail(`legacy row ${row.rowKey} was not removed`);
  });
});
