/**
 * Governance as code: `npm run governance -- validate|plan|apply [--dir governance]`.
 * validate: checks the files only. plan: shows what apply would change in storage.
 * apply: validates every file, then writes the differences and audits each one.
 * Exits 1 with every problem (file, path, line, what to do) when a file is wrong; nothing is written then.
 */
import path from "node:path";
import { loadConfig, ConfigError, type Config } from "../config";
import { createTableStores } from "../adapters/tables";
import { LocalDirectory, MemoryMembershipStore, loadOrganization } from "../adapters/local-directory";
import { DEFAULT_TABLE_PORT, isTableEndpointUp, startAzurite, type RunningAzurite } from "../dev/azurite";
import { applyGovernance, formatPlan, formatProblem, loadGovernance, planGovernance } from "../governance";
import { ConfigValidationError } from "../governance/problems";
import type { CrossCheckOptions } from "../governance/located";
import { previewAutoAssignments } from "../app/lifecycle/auto-assignment";
import { createDirectory } from "../composition/directory";
import { systemClock } from "../adapters/runtime/clock";
import { createLogger } from "../adapters/runtime/logger";
import { formatAutoAssignmentPreviews } from "./auto-assignment-preview";

const USAGE = "usage: npm run governance -- validate|plan|apply [--dir <folder>] [--actor <user id>]";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !["validate", "plan", "apply"].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const flag = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const config = loadConfig();
  const dir = flag("dir") ?? config.governanceDir;
  const loaded = await loadGovernance(dir, referenceChecks(config));
  if (!loaded.ok) {
    console.error(
      `The governance files in ${dir} have ${loaded.problems.length} problem(s); nothing was changed:`,
    );
    for (const p of loaded.problems) console.error(`  ${formatProblem(p)}`);
    return 1;
  }
  const { config: desired } = loaded;
  console.log(
    `${dir}: ${desired.catalogs.length} catalogs, ${desired.packages.length} access packages, ` +
      `${desired.policies.length} policies, ${desired.connectedOrganizations.length} connected organisations.`,
  );
  if (command === "validate") return 0;

  const azurite = await embeddedStorage(config);
  try {
    const stores = createTableStores(azurite?.connectionString ?? config.storage.connectionString, {
      tablePrefix: config.storage.tablePrefix,
    });
    await stores.ensureTables();
    if (command === "plan") {
      console.log(formatPlan(planGovernance(await stores.governance.load(), desired)));
      const directory = createDirectory(config, systemClock, createLogger("warn")).directory;
      const previews = await previewAutoAssignments({ directory, assignments: stores.assignments }, desired);
      const names = new Map((await directory.listUsers()).map((u) => [u.id, u.displayName]));
      if (previews.length > 0) {
        console.log(formatAutoAssignmentPreviews(previews, (id) => names.get(id) ?? id));
      }
      return 0;
    }
    const changes = await applyGovernance({
      store: stores.governance,
      audit: stores.audit,
      desired,
      actor: flag("actor") ?? "system",
      now: new Date().toISOString(),
    });
    console.log(formatPlan(changes));
    console.log(changes.length > 0 ? `Applied ${changes.length} change(s).` : "Nothing to apply.");
    return 0;
  } finally {
    await azurite?.stop();
  }
}

/** With the local directory, every user, group and app role the files name must exist in it. */
function referenceChecks(config: Config): CrossCheckOptions {
  if (config.directory.kind !== "local") return {};
  const org = loadOrganization(config.directory.organizationFile);
  return {
    directory: new LocalDirectory(org, new MemoryMembershipStore()),
    appRoleExists: (spId, roleId) =>
      org.servicePrincipals.some((sp) => sp.id === spId && sp.appRoles.some((r) => r.id === roleId)),
  };
}

/** Locally, start the embedded Azurite for the duration of the command unless one already runs. */
async function embeddedStorage(config: Config): Promise<RunningAzurite | undefined> {
  if (!config.storage.embeddedAzurite || (await isTableEndpointUp(DEFAULT_TABLE_PORT))) return undefined;
  return startAzurite({ location: path.join(config.storage.dataDir, "azurite"), port: DEFAULT_TABLE_PORT });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ConfigError) console.error(e.message);
    else if (e instanceof ConfigValidationError) console.error(e.problems.map(formatProblem).join("\n"));
    else console.error(e);
    process.exit(1);
  },
);
