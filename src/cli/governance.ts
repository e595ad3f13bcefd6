/**
 * Governance as code: `npm run governance -- validate|plan|apply [--dir governance]`.
 * validate: checks the files only. plan: shows what apply would change in storage.
 * apply: validates every file, then writes the differences and audits each one.
 * Exits 1 with every problem (file, path, line, what to do) when a file is wrong; nothing is written then.
 */
import { loadConfig, ConfigError } from "../config";
import { applyGovernance, formatPlan, formatProblem, loadGovernance, planGovernance } from "../governance";
import { ConfigValidationError } from "../governance/problems";
import { previewAutoAssignments } from "../app/lifecycle/auto-assignment";
import { resolveLifecycleSettings } from "../app/lifecycle/settings";
import { commandDirectory, governanceReferenceChecks } from "../composition/governance-checks";
import { openCommandStorage } from "../composition/storage";
import { formatAutoAssignmentPreviews } from "./auto-assignment-preview";
import { previewSodViolations } from "../app/queries/sod-preview";
import { formatSodPreviews } from "./sod-preview";
import { planGuestSteps } from "../app/guests/guest-facts";
import { formatGuestLifecyclePreview } from "../governance/guest-lifecycle-preview";

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
  const loaded = await loadGovernance(dir, governanceReferenceChecks(config));
  if (!loaded.ok) {
    console.error(
      `The governance files in ${dir} have ${loaded.problems.length} problem(s); nothing was changed:`,
    );
    for (const p of loaded.problems) console.error(`  ${formatProblem(p)}`);
    return 1;
  }
  const { config: desired } = loaded;
  for (const w of loaded.warnings ?? []) console.warn(`warning: ${formatProblem(w)}`);
  console.log(
    `${dir}: ${desired.catalogs.length} catalogs, ${desired.packages.length} access packages, ` +
      `${desired.policies.length} policies, ${desired.connectedOrganizations.length} connected organisations.`,
  );
  if (command === "validate") return 0;

  const storage = await openCommandStorage(config, { createTables: true });
  try {
    const { stores } = storage;
    if (command === "plan") {
      const current = await stores.governance.load();
      console.log(formatPlan(planGovernance(current, desired)));
      const directory = commandDirectory(config);
      const previews = await previewAutoAssignments({ directory, assignments: stores.assignments }, desired);
      const names = new Map((await directory.listUsers()).map((u) => [u.id, u.displayName]));
      if (previews.length > 0) {
        console.log(formatAutoAssignmentPreviews(previews, (id) => names.get(id) ?? id));
      }
      const sod = await previewSodViolations(
        { directory, assignments: stores.assignments },
        current,
        desired,
      );
      const packageNames = new Map(desired.packages.map((p) => [p.id, p.name]));
      if (sod.length > 0) console.log(formatSodPreviews(sod, (id) => packageNames.get(id) ?? id));
      const guests = await planGuestSteps(
        { directory, assignments: stores.assignments, requests: stores.requests },
        desired,
        new Date().toISOString(),
      );
      if (guests.length > 0) console.log(formatGuestLifecyclePreview(guests));
      return 0;
    }
    const changes = await applyGovernance({
      store: stores.governance,
      audit: stores.audit,
      desired,
      actor: flag("actor") ?? "system",
      now: new Date().toISOString(),
      // New review schedules and auto-assignment rules are scheduled now: no instance restarts.
      due: stores.due,
      lifecycle: resolveLifecycleSettings({
        reconcileIntervalHours: config.scheduler.reconcileIntervalHours,
      }),
    });
    console.log(formatPlan(changes));
    console.log(changes.length > 0 ? `Applied ${changes.length} change(s).` : "Nothing to apply.");
    return 0;
  } finally {
    await storage.close();
  }
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
