import type { RgbaImage } from "./png";

/** The product colour: the colour icon's background and the manifest's accentColor. */
export const ACCENT_COLOR = "#2F5BD3";

type Shape = (x: number, y: number) => boolean;

/** Access Desk's glyph: a shield with a keyhole cut out, in a unit square (y grows downwards). */
const shield: Shape = (x, y) => {
  const dx = Math.abs(x - 0.5);
  if (dx > 0.4) return false;
  // The top edge dips towards the middle, like a heraldic shield.
  if (y < 0.08 + 0.04 * (1 - dx / 0.4)) return false;
  if (y <= 0.52) return true;
  const t = (y - 0.52) / 0.42;
  return t <= 1 && dx <= 0.4 * (1 - Math.pow(t, 1.7));
};

const keyhole: Shape = (x, y) => {
  const dx = x - 0.5;
  const dy = y - 0.4;
  if (dx * dx + dy * dy <= 0.1 * 0.1) return true;
  if (y < 0.4 || y > 0.7) return false;
  const halfWidth = 0.04 + ((y - 0.4) / 0.3) * 0.035;
  return Math.abs(dx) <= halfWidth;
};

const glyph: Shape = (x, y) => shield(x, y) && !keyhole(x, y);

/** Fraction of a pixel a shape covers, sampled on a 4x4 grid so the edges are smooth. */
function coverage(shape: Shape, px: number, py: number, size: number, inset: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const x = (px + (sx + 0.5) / 4 - inset) / (size - 2 * inset);
      const y = (py + (sy + 0.5) / 4 - inset) / (size - 2 * inset);
      if (shape(x, y)) hits++;
    }
  }
  return hits / 16;
}

function hex(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** 192x192: a white shield on the accent colour, inside the 120 px safe area Teams recommends. */
export function renderColorIcon(): RgbaImage {
  const size = 192;
  const [r, g, b] = hex(ACCENT_COLOR);
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(glyph, x, y, size, 36);
      const i = (y * size + x) * 4;
      pixels[i] = Math.round(r + (255 - r) * c);
      pixels[i + 1] = Math.round(g + (255 - g) * c);
      pixels[i + 2] = Math.round(b + (255 - b) * c);
      pixels[i + 3] = 255;
    }
  }
  return { width: size, height: size, pixels };
}

/** 32x32: the same shield in white on a transparent background, as Teams requires. */
export function renderOutlineIcon(): RgbaImage {
  const size = 32;
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      pixels.set([255, 255, 255, Math.round(255 * coverage(glyph, x, y, size, 1))], i);
    }
  }
  return { width: size, height: size, pixels };
}
