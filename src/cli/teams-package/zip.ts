import { deflateRawSync } from "node:zlib";
import { crc32 } from "./crc32";

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

// 1980-01-01 00:00 in MS-DOS format: a fixed timestamp makes the same input give the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * Writes a zip archive (deflate, no directories, no zip64): enough for a Teams app package,
 * which holds a manifest and two icons at the root.
 */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommon(local, 4, crc, compressed.length, entry.data.length, name.length);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: version 2.0
    writeCommon(central, 6, crc, compressed.length, entry.data.length, name.length);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The fields local and central headers share, from "version needed" to "extra length". */
function writeCommon(
  buf: Buffer,
  at: number,
  crc: number,
  compressed: number,
  size: number,
  nameLength: number,
) {
  buf.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  buf.writeUInt16LE(0x0800, at + 2); // flags: names are UTF-8
  buf.writeUInt16LE(8, at + 4); // method: deflate
  buf.writeUInt16LE(DOS_TIME, at + 6);
  buf.writeUInt16LE(DOS_DATE, at + 8);
  buf.writeUInt32LE(crc, at + 10);
  buf.writeUInt32LE(compressed, at + 14);
  buf.writeUInt32LE(size, at + 18);
  buf.writeUInt16LE(nameLength, at + 22);
  buf.writeUInt16LE(0, at + 24);
}
