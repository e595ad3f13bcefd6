import {
  type MigrationContext,
  type MigrationContextOptions,
  tableMigrationContext,
} from "../adapters/tables/migrations";
import type { Config } from "../config";
import { openCommandStorage } from "./storage";

export {
  MIGRATION_STEPS,
  MigrationStepError,
  pendingMigration,
  runMigration,
  type MigrationContext,
  type StepPending,
  type StepResult,
} from "../adapters/tables/migrations";

/**
 * The configured account's tables for `npm run storage` (locally the embedded Azurite over the data
 * folder, as the other commands do). Creates no table: the migration's first step does.
 */
export async function openMigrationStorage(
  config: Config,
): Promise<{ ctx: MigrationContext; close(): Promise<void> }> {
  const storage = await openCommandStorage(config, { createTables: false });
  return {
    ctx: tableMigrationContext(storage.connectionString, { tablePrefix: config.storage.tablePrefix }),
    close: storage.close,
  };
}

/** The same over a given connection string (tests: an Azurite, a write hook). */
export function migrationContextOn(
  connectionString: string,
  options: MigrationContextOptions,
): MigrationContext {
  return tableMigrationContext(connectionString, options);
}
