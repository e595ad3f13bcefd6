import assert from "node:assert/strict";
import { MemoryAuditLog, MemoryGovernanceStore } from "../../../src/adapters/memory";
import { changeGovernance, settleGovernanceAudit } from "../../../src/app/shared/governance-change";
import type { AuditEntry, GovernanceConfig } from "../../../src/domain/model";
import type { Logger } from "../../../src/ports/logger";

const withCatalogs = (...names: string[]): GovernanceConfig => ({
  catalogs: names.map((name) => ({
    id: name,
    name,
    description: "",
    owners: [],
    enabled: true,
    externallyVisible: false,
  })),
  packages: [],
  policies: [],
  connectedOrganizations: [],
});

const row = (id: string): AuditEntry => ({
  id,
  at: "2026-11-23T10:00:00.000Z",
  actor: "u-admin",
  action: "config.changed",
  subject: `catalog:${id}`,
  source: "test",
});

/** Adds a catalog: the edit every test makes, with one audit row derived from the version. */
const addCatalog = (name: string) => (current: GovernanceConfig) => ({
  value: name,
  next: { ...current, catalogs: [...current.catalogs, ...withCatalogs(name).catalogs] },
  audit: (version: string) => [row(`${version}-0`)],
});

describe("changing the governance configuration", () => {
  it("audits the switch with ids from its version, and owes nothing afterwards", async () => {
    const governance = new MemoryGovernanceStore(withCatalogs("a"));
    const audit = new MemoryAuditLog();
    const result = await changeGovernance({ governance, audit }, () => "v1", addCatalog("b"));
    assert.deepEqual(result, { value: "b", version: "v1" });
    assert.deepEqual(await governance.load(), withCatalogs("a", "b"));
    assert.deepEqual(
      (await audit.query({})).map((e) => e.id),
      ["v1-0"],
    );
    assert.deepEqual(await governance.owedAudit(), []);
  });

  it("first writes the rows an interrupted change still owes, once", async () => {
    const governance = new MemoryGovernanceStore(withCatalogs("a"));
    const audit = new MemoryAuditLog();
    // A change that died right after its switch: the rows are stored with the version, owed.
    await governance.publish({
      version: "crashed",
      base: "initial",
      config: withCatalogs("x"),
      audit: [row("c-0")],
    });
    await audit.append([row("c-0")]); // written, but the crash came before the confirmation
    await changeGovernance(
      { governance, audit },
      () => "v2",
      () => ({ value: "nothing" }),
    );
    assert.deepEqual(
      (await audit.query({})).map((e) => e.id),
      ["c-0"],
    );
    assert.deepEqual(await governance.owedAudit(), []);
    assert.equal(await settleGovernanceAudit({ governance, audit }), 0);
  });

  it("decides again on the configuration of a change that switched first", async () => {
    const governance = new MemoryGovernanceStore(withCatalogs("a"));
    const audit = new MemoryAuditLog();
    const seen: string[][] = [];
    let raced = false;
    const versions = ["mine-1", "mine-2"];
    const result = await changeGovernance(
      { governance, audit },
      () => versions.shift()!,
      (current) => {
        seen.push(current.catalogs.map((c) => c.id));
        if (!raced) {
          raced = true;
          // Another instance switches between our read and our switch.
          void governance.publish({
            version: "rival",
            base: "initial",
            config: withCatalogs("a", "r"),
            audit: [],
          });
        }
        return addCatalog("b")(current);
      },
    );
    assert.deepEqual(seen, [["a"], ["a", "r"]]);
    assert.equal(result.version, "mine-2");
    assert.deepEqual(await governance.load(), withCatalogs("a", "r", "b"));
    assert.deepEqual(
      (await audit.query({})).map((e) => e.id),
      ["mine-2-0"],
      "only the switch that happened is audited",
    );
  });

  it("reports a failed clean-up of old versions in the log, not as a failed change", async () => {
    const governance = new MemoryGovernanceStore(withCatalogs("a"));
    governance.prune = () => Promise.reject(new Error("storage unavailable"));
    const warnings: unknown[] = [];
    const logger = { warn: (obj: unknown) => warnings.push(obj) } as unknown as Logger;
    const result = await changeGovernance(
      { governance, audit: new MemoryAuditLog(), logger },
      () => "v1",
      addCatalog("b"),
    );
    assert.equal(result.version, "v1");
    assert.equal(warnings.length, 1);
  });
});
