import { deepStrictEqual, equal } from "node:assert/strict";
import { crc32 } from "../../../src/cli/teams-package/crc32";
import { writeZip } from "../../../src/cli/teams-package/zip";
import { readZip } from "./zip-reader";

describe("writeZip", () => {
  it("writes entries that read back byte for byte, in order", () => {
    const entries = [
      { name: "manifest.json", data: Buffer.from('{"a":1}\n') },
      { name: "empty.txt", data: Buffer.alloc(0) },
      { name: "größe.bin", data: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)) },
    ];
    const read = readZip(writeZip(entries));
    deepStrictEqual([...read.keys()], ["manifest.json", "empty.txt", "größe.bin"]);
    for (const entry of entries) deepStrictEqual(read.get(entry.name), entry.data);
  });

  it("gives the same bytes for the same input (fixed timestamps)", () => {
    const entries = [{ name: "a.txt", data: Buffer.from("same") }];
    deepStrictEqual(writeZip(entries), writeZip(entries));
  });

  it("writes an empty archive as just the end record", () => {
    equal(writeZip([]).length, 22);
  });
});

describe("crc32", () => {
  const cases: [input: string, crc: number][] = [
    ["", 0],
    ["123456789", 0xcbf43926],
    ["The quick brown fox jumps over the lazy dog", 0x414fa339],
  ];
  for (const [input, crc] of cases) {
    it(`computes ${crc.toString(16)} for ${JSON.stringify(input)}`, () => {
      equal(crc32(Buffer.from(input)), crc);
    });
  }
});
