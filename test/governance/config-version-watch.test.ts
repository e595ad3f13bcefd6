import assert from "node:assert/strict";
import { CachedGovernanceStore } from "../../src/adapters/cache/cached-governance-store";
import { MemoryGovernanceStore } from "../../src/adapters/memory";
import { FixedClock } from "../../src/adapters/runtime/clock";
import type { GovernanceConfig } from "../../src/domain/model";

const withCatalog = (name: string): GovernanceConfig => ({
  catalogs: [{ id: "c", name, description: "", owners: [], enabled: true, externallyVisible: false }],
  packages: [],
  policies: [],
  connectedOrganizations: [],
});

/** Storage as seen by one instance: counts the point reads of the pointer and the full reads. */
class CountingStore extends MemoryGovernanceStore {
  pointReads = 0;
  fullReads = 0;
  override async currentVersion(): Promise<string | undefined> {
    this.pointReads += 1;
    return super.currentVersion();
  }
  override async load(): Promise<GovernanceConfig> {
    this.fullReads += 1;
    return super.load();
  }
}

/** Another instance (or `governance apply`) switching the version under this one. */
async function switchElsewhere(storage: MemoryGovernanceStore, version: string, name: string) {
  const { version: base } = await storage.current();
  await storage.publish({ version, base, config: withCatalog(name), audit: [] });
}

describe("an instance watches the governance version", () => {
  it("confirms the version with one point read per interval, not per request, and rereads only a new one", async () => {
    const storage = new CountingStore(withCatalog("One"));
    const clock = new FixedClock("2026-11-23T10:00:00Z");
    const store = new CachedGovernanceStore(storage, clock, 5_000);
    await Promise.all([store.load(), store.load(), store.load()]);
    assert.deepEqual([storage.pointReads, storage.fullReads], [1, 1]);
    clock.advance(2_999);
    for (let i = 0; i < 20; i += 1) await store.load();
    assert.deepEqual([storage.pointReads, storage.fullReads], [1, 1], "nothing read early in the interval");

    clock.advance(2_001);
    const [first, second] = await Promise.all([store.load(), store.load()]);
    assert.equal(first, second);
    assert.deepEqual([storage.pointReads, storage.fullReads], [2, 1], "the same version is not read again");

    await switchElsewhere(storage, "v2", "Two");
    assert.equal((await store.load()).catalogs[0].name, "One", "within the interval the old version serves");
    clock.advance(5_000);
    assert.equal((await store.load()).catalogs[0].name, "Two", "after it, the new version");
    assert.deepEqual([storage.pointReads, storage.fullReads], [3, 2]);
  });

  it("confirms the version ahead, in the background, while it is busy: no load waits for the read", async () => {
    const storage = new CountingStore(withCatalog("One"));
    const clock = new FixedClock("2026-11-23T10:00:00Z");
    const store = new CachedGovernanceStore(storage, clock, 5_000);
    await store.load();
    await switchElsewhere(storage, "v2", "Two");
    let answer!: () => void;
    let asked = 0;
    const pointer = storage.currentVersion.bind(storage);
    storage.currentVersion = async () => {
      asked += 1;
      await new Promise<void>((resolve) => (answer = resolve));
      return pointer();
    };
    clock.advance(3_000);
    // Answered from the cache while the pointer read hangs: nobody waits for it.
    const served = await Promise.all(Array.from({ length: 5 }, () => store.load()));
    assert.ok(served.every((c) => c.catalogs[0].name === "One"));
    assert.equal(asked, 1, "one read started ahead, shared by the loads");
    answer();
    await new Promise((r) => setImmediate(r));
    assert.equal(
      (await store.load()).catalogs[0].name,
      "Two",
      "the new version, found ahead of the interval's end",
    );
    assert.deepEqual([storage.pointReads, storage.fullReads], [2, 2]);
  });

  it("confirms the version at once when asked for a fresh read", async () => {
    const storage = new CountingStore(withCatalog("One"));
    const store = new CachedGovernanceStore(storage, new FixedClock("2026-11-23T10:00:00Z"), 5_000);
    const before = await store.load();
    assert.equal(await store.load({ fresh: true }), before, "unchanged: the same snapshot");
    await switchElsewhere(storage, "v2", "Two");
    assert.equal((await store.load({ fresh: true })).catalogs[0].name, "Two");
    assert.equal((await store.load()).catalogs[0].name, "Two", "and the cache holds it");
    assert.equal(storage.fullReads, 2);
  });

  it("reads the version pointer from storage, never from the cache", async () => {
    const storage = new CountingStore(withCatalog("One"));
    const store = new CachedGovernanceStore(storage, new FixedClock("2026-11-23T10:00:00Z"), 5_000);
    await store.load();
    await switchElsewhere(storage, "v2", "Two");
    assert.equal(await store.currentVersion(), "v2");
  });
});
