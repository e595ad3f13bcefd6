import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { zipSync } from "fflate";
import { checkIcon, ICONS } from "./icons";
import { fillTemplate, manifestValues, PackagingError } from "./settings";

export interface TeamsPackage {
  manifest: Record<string, unknown>;
  zip: Buffer;
}

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
  const zip = zipPackage({
    "manifest.json": Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8"),
    "color.png": icons[0]!,
    "outline.png": icons[1]!,
  });
  return { manifest, zip };
}

/** Zips the files in key order with a fixed timestamp, so the same input gives the same bytes. */
function zipPackage(files: Record<string, Uint8Array>): Buffer {
  // fflate writes the DOS timestamp in local time; a local date is 1980-01-01 00:00 in every time zone.
  const zip = zipSync(files, { level: 9, mtime: new Date(1980, 0, 1) });
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
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
