import assert from "node:assert/strict";
import { CachedGovernanceStore } from "../../src/adapters/cache/cached-governance-store";
import { MemoryGovernanceStore } from "../../src/adapters/memory";
import { FixedClock } from "../../src/adapters/runtime/clock";
import { GovernanceIndex } from "../../src/domain/governance-index";
import type { GovernanceConfig } from "../../src/domain/model";

const withCatalog = (name: string): GovernanceConfig => ({
  catalogs: [{ id: "c", name, description: "", owners: [], enabled: true, externallyVisible: false }],
  packages: [],
  policies: [],
  connectedOrganizations: [],
});

class CountingStore extends MemoryGovernanceStore {
  loads = 0;
  override async load(): Promise<GovernanceConfig> {
    this.loads += 1;
    return super.load();
  }
}

describe("cached governance store", () => {
  it("reads storage once within the time to live, again after it", async () => {
    const inner = new CountingStore();
    const clock = new FixedClock("2026-11-23T10:00:00Z");
    const store = new CachedGovernanceStore(inner, clock, 30_000);
    await Promise.all([store.load(), store.load(), store.load()]);
    assert.equal(inner.loads, 1);
    clock.advance(30_001);
    await store.load();
    assert.equal(inner.loads, 2);
  });

  it("sees its own save at once and a save elsewhere after the time to live", async () => {
    const inner = new CountingStore();
    const clock = new FixedClock("2026-11-23T10:00:00Z");
    const store = new CachedGovernanceStore(inner, clock, 30_000);
    await store.save(withCatalog("One"));
    assert.equal((await store.load()).catalogs[0].name, "One");
    await inner.save(withCatalog("Two"));
    assert.equal((await store.load()).catalogs[0].name, "One");
    clock.advance(30_001);
    assert.equal((await store.load()).catalogs[0].name, "Two");
  });

  it("sees a published version at once, even when a read that started before it ends after it", async () => {
    const inner = new MemoryGovernanceStore(withCatalog("One"));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = inner.load.bind(inner);
    inner.load = async () => {
      const config = await load();
      await gate;
      return config;
    };
    const store = new CachedGovernanceStore(inner, new FixedClock("2026-11-23T10:00:00Z"), 30_000);
    const slow = store.load();
    const { version } = await store.current();
    await store.publish({ version: "v2", base: version, config: withCatalog("Two"), audit: [] });
    release();
    assert.equal((await slow).catalogs[0].name, "One");
    assert.equal((await store.load()).catalogs[0].name, "Two", "the old read did not refill the cache");
  });

  it("hands every caller one frozen snapshot per version: no copy per request, and nobody can change it", async () => {
    const store = new CachedGovernanceStore(new CountingStore(), new FixedClock("2026-11-23T10:00:00Z"));
    await store.save(withCatalog("One"));
    const [first, second] = await Promise.all([store.load(), store.load()]);
    assert.equal(first, second, "the same object, not a copy");
    assert.equal(await store.load(), first);
    assert.throws(() => {
      first.catalogs[0].name = "Changed";
    }, TypeError);
    assert.throws(() => first.packages.push(first.packages[0]!), TypeError);
    assert.equal((await store.load()).catalogs[0].name, "One");
    await store.save(withCatalog("Two"));
    const next = await store.load();
    assert.notEqual(next, first, "a new version is a new snapshot");
    assert.equal(next.catalogs[0].name, "Two");
  });

  it("builds the lookups of a snapshot once", async () => {
    const store = new CachedGovernanceStore(new CountingStore(), new FixedClock("2026-11-23T10:00:00Z"));
    await store.save(withCatalog("One"));
    assert.equal(GovernanceIndex.of(await store.load()), GovernanceIndex.of(await store.load()));
    const loose = withCatalog("Loose");
    assert.notEqual(
      GovernanceIndex.of(loose),
      GovernanceIndex.of(loose),
      "a configuration that may change is indexed anew",
    );
  });
});
