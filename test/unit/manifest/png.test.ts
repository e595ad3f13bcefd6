import { deepStrictEqual, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderColorIcon, renderOutlineIcon } from "../../../src/cli/teams-package/icons";
import { decodeRgbaPng, encodePng, readPngHeader } from "../../../src/cli/teams-package/png";

const manifestDir = join(__dirname, "..", "..", "..", "manifest");

describe("PNG encoding", () => {
  it("decodes what it encodes, alpha included", () => {
    const pixels = new Uint8Array([
      255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    const image = { width: 3, height: 2, pixels };
    deepStrictEqual(decodeRgbaPng(encodePng(image)), image);
  });

  it("reads width, height and colour type from the header", () => {
    const png = encodePng({ width: 7, height: 5, pixels: new Uint8Array(7 * 5 * 4) });
    deepStrictEqual(readPngHeader(png), { width: 7, height: 5, bitDepth: 8, colorType: 6 });
  });

  it("refuses bytes that are not a PNG", () => {
    throws(() => readPngHeader(Buffer.from("GIF89a, not a png at all, really not")), /not a PNG/);
  });
});

describe("the committed icons", () => {
  const cases = [
    { file: "color.png", render: renderColorIcon },
    { file: "outline.png", render: renderOutlineIcon },
  ];
  for (const { file, render } of cases) {
    it(`manifest/${file} is what make-icons.ts draws`, () => {
      // Pixels, not bytes: another zlib may compress the same image differently.
      deepStrictEqual(decodeRgbaPng(readFileSync(join(manifestDir, file))), render());
    });
  }
});
