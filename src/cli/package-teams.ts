/**
 * `npm run package:teams`: writes teams-app/access-desk.zip, the app package to upload to Teams.
 * Settings come from the environment, then from .env (MicrosoftAppId is required; BOT_DOMAIN,
 * TEAMS_APP_ID and DEVELOPER_* are optional).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readEnvironment } from "../config";
import { buildTeamsPackage } from "./teams-package/build";
import { PackagingError } from "./teams-package/settings";

async function main(): Promise<void> {
  const rootDir = resolve(__dirname, "..", "..");
  const { manifest, zip } = await buildTeamsPackage(rootDir, readEnvironment(join(rootDir, ".env")));
  const outDir = join(rootDir, "teams-app");
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, "access-desk.zip");
  writeFileSync(outFile, zip);
  console.log(
    `wrote ${outFile} (manifest ${String(manifest.manifestVersion)}, app version ${String(manifest.version)})`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof PackagingError) {
    console.error(`package:teams: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
