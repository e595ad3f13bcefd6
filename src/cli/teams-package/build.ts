import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { decodeRgbaPng, readPngHeader } from "./png";
import { fillTemplate, manifestValues, PackagingError } from "./settings";
import { writeZip } from "./zip";

export interface TeamsPackage {
  manifest: Record<string, unknown>;
  zip: Buffer;
}

const ICONS = [
  { file: "color.png", size: 192 },
  { file: "outline.png", size: 32 },
] as const;

/**
 * Builds the Teams app package from `manifest/` in `rootDir`: fills the template from `env`, checks
 * it against the manifest JSON schema shipped with @microsoft/app-manifest (no network), checks the
 * icons, and zips manifest.json, color.png and outline.png.
 */
export async function buildTeamsPackage(
  rootDir: string,
  env: Record<string, string | undefined>,
): Promise<TeamsPackage> {
  const { version } = JSON.parse(await readFile(join(rootDir, "package.json"), "utf8")) as {
    version: string;
  };
  const template: unknown = JSON.parse(
    await readFile(join(rootDir, "manifest", "manifest.template.json"), "utf8"),
  );
  const manifest = fillTemplate(template, manifestValues(env, version));
  await validateManifest(manifest);
  const icons = await Promise.all(ICONS.map(async ({ file }) => readFile(join(rootDir, "manifest", file))));
  ICONS.forEach(({ file, size }, i) => checkIcon(file, icons[i]!, size));
  const zip = writeZip([
    { name: "manifest.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8") },
    { name: "color.png", data: icons[0]! },
    { name: "outline.png", data: icons[1]! },
  ]);
  return { manifest, zip };
}

/** Throws a PackagingError listing every schema violation. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<void> {
  const schema = await loadSchema(String(manifest.manifestVersion));
  const problems = await AppManifestUtils.validateAgainstSchema(manifest as never, schema as never);
  if (problems.length > 0) {
    throw new PackagingError(`the manifest does not match its schema:\n  ${problems.join("\n  ")}`);
  }
}

async function loadSchema(manifestVersion: string): Promise<unknown> {
  const packageRoot = dirname(require.resolve("@microsoft/app-manifest/package.json"));
  const file = join(
    packageRoot,
    "build",
    "json-schemas",
    "teams",
    `v${manifestVersion}`,
    "MicrosoftTeams.schema.json",
  );
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch {
    throw new PackagingError(`no schema for manifest version ${manifestVersion} in @microsoft/app-manifest`);
  }
  // Some published schemas contain "\a" and "\v" escapes, which JSON does not allow.
  return JSON.parse(raw.replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
}

/** Teams rejects icons of the wrong size; the outline must be white on a transparent background. */
export function checkIcon(file: string, png: Uint8Array, size: number): void {
  let header;
  try {
    header = readPngHeader(png);
  } catch {
    throw new PackagingError(`manifest/${file} is not a PNG file`);
  }
  if (header.width !== size || header.height !== size) {
    throw new PackagingError(
      `manifest/${file} is ${header.width}x${header.height}; Teams needs ${size}x${size}`,
    );
  }
  if (file !== "outline.png") return;
  if (header.colorType !== 6 || header.bitDepth !== 8) {
    throw new PackagingError(`manifest/${file} needs an alpha channel (8-bit RGBA): white on transparent`);
  }
  const { pixels } = decodeRgbaPng(png);
  let transparent = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] === 0) transparent++;
    else if (pixels[i]! < 250 || pixels[i + 1]! < 250 || pixels[i + 2]! < 250) {
      throw new PackagingError(
        `manifest/${file} has a pixel that is not white; Teams needs white on transparent`,
      );
    }
  }
  if (transparent === 0) throw new PackagingError(`manifest/${file} has no transparent pixels`);
}
