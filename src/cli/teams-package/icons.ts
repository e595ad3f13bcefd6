import { PNG } from "pngjs";
import { PackagingError } from "./settings";

/** The icons in manifest/ and the sizes Teams requires. */
export const ICONS = [
  { file: "color.png", size: 192 },
  { file: "outline.png", size: 32 },
] as const;

/** Teams rejects icons of the wrong size; the outline must be white on a transparent background. */
export function checkIcon(file: string, png: Buffer, size: number): void {
  let image: PNG;
  try {
    // pngjs hands back 8-bit RGBA whatever the file's colour type, palette and tRNS included.
    image = PNG.sync.read(png);
  } catch {
    throw new PackagingError(`manifest/${file} is not a PNG file`);
  }
  if (image.width !== size || image.height !== size) {
    throw new PackagingError(
      `manifest/${file} is ${image.width}x${image.height}; Teams needs ${size}x${size}`,
    );
  }
  if (file !== "outline.png") return;
  const { data } = image;
  let transparent = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) transparent++;
    else if (data[i]! < 250 || data[i + 1]! < 250 || data[i + 2]! < 250) {
      throw new PackagingError(
        `manifest/${file} has a pixel that is not white; Teams needs white on transparent`,
      );
    }
  }
  if (transparent === 0) throw new PackagingError(`manifest/${file} has no transparent pixels`);
}
