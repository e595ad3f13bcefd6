import { TableClient } from "@azure/data-tables";
import { TABLES } from "..";
import { approverGroups } from "./approver-groups";
import { auditDayChains } from "./audit-day-chains";
import { auditPersonCopies } from "./audit-person-copies";
import { createTables } from "./create-tables";
import { dueWorkHours } from "./due-work-hours";
import type { MigrationContext, MigrationStep, StepPending, StepResult, TableName } from "./step";

export type { MigrationContext, MigrationStep, StepPending, StepResult, TableName } from "./step";

/**
 * The steps `npm run storage -- migrate` runs, in this order. A layout change adds its step here
 * (one file beside these); a step that finds nothing to move costs a few reads.
 */
export const MIGRATION_STEPS: readonly MigrationStep[] = [
  createTables,
  dueWorkHours,
  approverGroups,
  auditDayChains,
  auditPersonCopies,
];

export interface MigrationContextOptions {
  tablePrefix?: string;
  /** Wraps each table client (tests cut a run short through it). */
  wrap?: (client: TableClient) => TableClient;
  now?: () => number;
}

/** Clients of every table of the account, by store name, as createTableStores names them. */
export function tableMigrationContext(
  connectionString: string,
  options: MigrationContextOptions = {},
): MigrationContext {
  const prefix = options.tablePrefix ?? "AccessDesk";
  const insecure = /TableEndpoint=http:|UseDevelopmentStorage=true|DefaultEndpointsProtocol=http;/i.test(
    connectionString,
  );
  const clients = new Map<TableName, TableClient>();
  const tableNames = Object.keys(TABLES) as TableName[];
  return {
    tableNames,
    now: options.now ?? Date.now,
    table(name) {
      let client = clients.get(name);
      if (!client) {
        client = TableClient.fromConnectionString(connectionString, prefix + TABLES[name], {
          allowInsecureConnection: insecure,
        });
        if (options.wrap) client = options.wrap(client);
        clients.set(name, client);
      }
      return client;
    },
  };
}

export interface StepRun {
  step: MigrationStep;
  result: StepResult;
}

/** Runs the steps in order; the first that throws stops the run (a rerun resumes where it stopped). */
export async function runMigration(
  ctx: MigrationContext,
  onStep: (run: StepRun) => void = () => undefined,
  steps: readonly MigrationStep[] = MIGRATION_STEPS,
): Promise<StepRun[]> {
  const runs: StepRun[] = [];
  for (const step of steps) {
    let result: StepResult;
    try {
      result = await step.run(ctx);
    } catch (error) {
      throw new MigrationStepError(step.name, error);
    }
    runs.push({ step, result });
    onStep({ step, result });
  }
  return runs;
}

/** What the previous layouts still hold, step by step (reads only: `--dry-run` and `status`). */
export async function pendingMigration(
  ctx: MigrationContext,
  steps: readonly MigrationStep[] = MIGRATION_STEPS,
): Promise<{ step: MigrationStep; pending: StepPending }[]> {
  const found: { step: MigrationStep; pending: StepPending }[] = [];
  for (const step of steps) {
    try {
      found.push({ step, pending: await step.pending(ctx) });
    } catch (error) {
      throw new MigrationStepError(step.name, error);
    }
  }
  return found;
}

/** A step failed: names it; the cause says what storage answered. */
export class MigrationStepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`step ${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "MigrationStepError";
  }
}
