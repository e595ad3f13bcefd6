import assert from "node:assert/strict";
import { MAX_PROPERTY_CHARS } from "../../src/adapters/shared/stored-json";
import { jsonColumns, readJsonColumns } from "../../src/adapters/tables/json-columns";
import { decodeKey, encodeKey, invertedTime, key, KeyTooLongError } from "../../src/adapters/tables/keys";

describe("table keys", () => {
  it("escapes every character Table Storage forbids in keys, and decodes back", () => {
    const ids = [
      "a/b",
      "a\\b",
      "a#b",
      "a?b",
      "tab\there",
      "nul\u0000",
      "del\u007f",
      "c1\u0085",
      "50%|x",
      "ünï😀",
    ];
    for (const id of ids) {
      const encoded = encodeKey(id);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(encoded, /[/\\#?|\u0000-\u001f\u007f-\u009f]/, id);
      assert.equal(decodeKey(encoded), id);
    }
  });

  it("keeps distinct ids distinct after encoding", () => {
    assert.notEqual(encodeKey("a/b"), encodeKey("a%2Fb"));
    assert.notEqual(key("u", "a|b"), key("u", "a", "b"));
  });

  it("refuses a key longer than the service allows", () => {
    assert.throws(() => key("u", "x".repeat(2000)), KeyTooLongError);
  });

  it("orders inverted times newest first", () => {
    const keys = ["2026-01-01T00:00:00Z", "2026-11-23T10:00:00.001Z", "2025-06-01T00:00:00Z"].map(
      invertedTime,
    );
    assert.deepEqual([...keys].sort(), [keys[1], keys[0], keys[2]]);
  });
});

describe("JSON columns", () => {
  it("splits long JSON into 64 KiB properties without breaking a surrogate pair", () => {
    for (const pad of [0, 1]) {
      const value = { text: "x".repeat(MAX_PROPERTY_CHARS - 10 + pad) + "😀".repeat(MAX_PROPERTY_CHARS) };
      const columns = jsonColumns("test", value);
      for (const [name, part] of Object.entries(columns)) {
        if (typeof part !== "string") continue;
        assert.ok(part.length <= MAX_PROPERTY_CHARS, name);
        assert.doesNotMatch(part, /^[\udc00-\udfff]|[\ud800-\udbff]$/, `${name} splits a surrogate pair`);
      }
      assert.deepEqual(readJsonColumns(columns), value);
    }
  });
});
