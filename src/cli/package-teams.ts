/**
 * `npm run package:teams`: writes teams-app/access-desk.zip, the app package to upload to Teams.
 * Settings come from the environment, then from .env (MicrosoftAppId is required; BOT_DOMAIN,
 * TEAMS_APP_ID and DEVELOPER_* are optional).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildTeamsPackage } from "./teams-package/build";
import { PackagingError, parseEnvFile } from "./teams-package/settings";

async function main(): Promise<void> {
  const rootDir = resolve(__dirname, "..", "..");
  const envFile = join(rootDir, ".env");
  const fromFile = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, "utf8")) : {};
  // The environment wins over .env, except where it holds an empty value.
  const fromEnv = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value));
  const { manifest, zip } = await buildTeamsPackage(rootDir, { ...fromFile, ...fromEnv });
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
