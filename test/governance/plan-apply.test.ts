import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MemoryAuditLog, MemoryGovernanceStore } from "../../src/adapters/memory";
import type { GovernanceConfig } from "../../src/domain/model";
import { applyGovernance, applyGovernanceFromDir } from "../../src/governance/apply";
import { parseGovernance } from "../../src/governance/load";
import { formatPlan, planGovernance } from "../../src/governance/plan";
import { VALID_DIR, validFiles } from "./support";

const NOW = "2026-11-23T10:00:00.000Z";

async function validConfig(): Promise<GovernanceConfig> {
  const result = await parseGovernance(validFiles());
  if (!result.ok) throw new Error("fixture must be valid");
  return result.config;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("governance plan", () => {
  it("adds everything to an empty store, catalogs before packages before policies", async () => {
    const desired = await validConfig();
    const changes = planGovernance(
      { catalogs: [], packages: [], policies: [], connectedOrganizations: [] },
      desired,
    );
    assert.deepEqual(
      changes.map((c) => `${c.action} ${c.kind} ${c.id}`),
      [
        "add catalog general",
        "add catalog partners",
        "add connectedOrganization fabrikam",
        "add package analyst",
        "add package project",
        "add policy analyst-members",
        "add policy project-partners",
      ],
    );
  });

  it("is empty when the store already matches", async () => {
    const desired = await validConfig();
    assert.deepEqual(planGovernance(clone(desired), desired), []);
  });

  it("shows updates field by field and removals last", async () => {
    const current = await validConfig();
    const desired = clone(current);
    desired.policies[0]!.approval.stages[1]!.decisionWindowDays = 7;
    desired.packages[0]!.keywords = ["reports"];
    desired.catalogs = desired.catalogs.filter((c) => c.id !== "partners");
    desired.packages = desired.packages.filter((p) => p.id !== "project");
    desired.policies = desired.policies.filter((p) => p.id !== "project-partners");

    const changes = planGovernance(current, desired);
    assert.deepEqual(
      changes.map((c) => `${c.action} ${c.kind} ${c.id}`),
      [
        "update package analyst",
        "update policy analyst-members",
        "remove policy project-partners",
        "remove package project",
        "remove catalog partners",
      ],
    );
    const policy = changes[1]!;
    assert.deepEqual(policy.fields, [
      { path: "approval.stages[1].decisionWindowDays", before: 14, after: 7 },
    ]);
    assert.equal(
      policy.summary,
      "update policy analyst-members (Members): approval.stages[1].decisionWindowDays: 14 → 7",
    );
    assert.equal(changes[0]!.summary, 'update access package analyst (Analyst): keywords: [] → ["reports"]');

    const text = formatPlan(changes);
    assert.match(
      text,
      /^~ policy analyst-members \(Members\)\n {4}approval\.stages\[1\]\.decisionWindowDays: 14 → 7$/m,
    );
    assert.match(text, /^- catalog partners \(Partners\)$/m);
    assert.match(text, /Plan: 0 to add, 2 to change, 3 to remove\./);
  });

  it("ignores key order and absent-versus-undefined fields", async () => {
    const current = await validConfig();
    const desired = clone(current);
    const cat = desired.catalogs[0]!;
    desired.catalogs[0] = {
      channel: undefined,
      ...Object.fromEntries(Object.entries(cat).reverse()),
    } as typeof cat;
    assert.deepEqual(planGovernance(current, desired), []);
  });
});

describe("governance apply", () => {
  it("writes the configuration and audits each change as config.changed", async () => {
    const store = new MemoryGovernanceStore();
    const audit = new MemoryAuditLog();
    const desired = await validConfig();
    const changes = await applyGovernance({ store, audit, desired, actor: "u-admin", now: NOW });
    assert.equal(changes.length, 7);
    assert.deepEqual(await store.load(), desired);
    const entries = await audit.query({});
    assert.equal(entries.length, 7);
    const policyEntry = entries.find((e) => e.subject === "policy:analyst-members")!;
    assert.equal(policyEntry.action, "config.changed");
    assert.equal(policyEntry.actor, "u-admin");
    assert.equal(policyEntry.packageId, "analyst");
    assert.equal(policyEntry.source, "governance:apply");
    assert.equal(policyEntry.at, NOW);
    assert.equal(policyEntry.details?.change, "add");
    assert.equal(new Set(entries.map((e) => e.id)).size, 7, "audit ids are unique");
    const { version } = await store.current();
    assert.ok(
      entries.every((e) => e.details?.version === version),
      "each row names the version",
    );
    assert.deepEqual(await store.owedAudit(), [], "nothing left owed");
  });

  it("is idempotent: applying twice writes and audits nothing the second time", async () => {
    const store = new MemoryGovernanceStore();
    const audit = new MemoryAuditLog();
    const desired = await validConfig();
    await applyGovernance({ store, audit, desired, actor: "system", now: NOW });
    let saves = 0;
    const publish = store.publish.bind(store);
    store.publish = async (change) => {
      saves++;
      await publish(change);
    };
    const second = await applyGovernance({
      store,
      audit,
      desired,
      actor: "system",
      now: "2026-11-23T11:00:00.000Z",
    });
    assert.deepEqual(second, []);
    assert.equal(saves, 0);
    assert.equal((await audit.query({})).length, 7);
  });

  it("leaves the store untouched when any file is broken", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "governance-"));
    cpSync(VALID_DIR, dir, { recursive: true });
    const store = new MemoryGovernanceStore();
    const audit = new MemoryAuditLog();
    const first = await applyGovernanceFromDir(dir, { store, audit, actor: "system", now: NOW });
    assert.ok(first.ok);
    const before = await store.load();

    const file = path.join(dir, "packages", "analyst.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("name: Analyst", "name: Senior Analyst"));
    writeFileSync(path.join(dir, "packages", "project.yaml"), "name: [broken\n");
    const second = await applyGovernanceFromDir(dir, { store, audit, actor: "system", now: NOW });
    assert.equal(second.ok, false);
    assert.deepEqual(await store.load(), before, "the valid change in analyst.yaml was not written either");
    assert.equal((await audit.query({})).length, 7);
  });
});
