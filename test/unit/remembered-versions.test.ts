import assert from "node:assert/strict";
import { RememberedVersions } from "../../src/adapters/tables/remembered-versions";

describe("the versions a process remembers", () => {
  it("keeps the latest version of each, the most recently used within the bound", () => {
    const versions = new RememberedVersions<{ id: string; n: number }>(2);
    versions.remember({ id: "a", n: 1 }, "e1");
    versions.remember({ id: "b", n: 1 }, "e2");
    versions.remember({ id: "a", n: 2 }, "e3"); // a is the most recent again
    versions.remember({ id: "c", n: 1 }, "e4"); // b goes
    assert.deepEqual(versions.get("a"), { value: { id: "a", n: 2 }, etag: "e3" });
    assert.equal(versions.get("b"), undefined);
    assert.deepEqual(versions.get("c"), { value: { id: "c", n: 1 }, etag: "e4" });
  });

  it("shares no object with its callers, and forgets a version found stale", () => {
    const versions = new RememberedVersions<{ id: string; tags: string[] }>(10);
    const value = { id: "a", tags: ["x"] };
    versions.remember(value, "e1");
    value.tags.push("changed after");
    versions.get("a")!.value.tags.push("changed by a reader");
    assert.deepEqual(versions.get("a")!.value.tags, ["x"]);
    versions.forget("a");
    assert.equal(versions.get("a"), undefined);
  });
});
