import path from "node:path";
import { createTableStores, type TableStoreOptions, type TableStores } from "../adapters/tables";
import type { Config } from "../config";
import { DEFAULT_TABLE_PORT, isTableEndpointUp, startAzurite } from "../dev/azurite";

/** The stores on the configured storage account (or a given connection string, e.g. an embedded Azurite). */
export function openTableStores(
  config: Config,
  connectionString = config.storage.connectionString,
  options: Pick<TableStoreOptions, "afterAnswers"> = {},
): TableStores {
  return createTableStores(connectionString, { ...options, tablePrefix: config.storage.tablePrefix });
}

export interface CommandStorage {
  stores: TableStores;
  /** The account the stores use (the embedded Azurite's when this command started one). */
  connectionString: string;
  /** Stops the embedded Azurite this command started, if any. */
  close(): Promise<void>;
}

/**
 * Storage for a one-off command (governance, audit): the configured account; locally, the embedded
 * Azurite over the data folder for the duration of the command unless one already runs.
 */
export async function openCommandStorage(
  config: Config,
  options: { createTables: boolean },
): Promise<CommandStorage> {
  const embedded =
    config.storage.embeddedAzurite && !(await isTableEndpointUp(DEFAULT_TABLE_PORT))
      ? await startAzurite({
          location: path.join(config.storage.dataDir, "azurite"),
          port: DEFAULT_TABLE_PORT,
        })
      : undefined;
  const connectionString = embedded?.connectionString ?? config.storage.connectionString;
  const stores = openTableStores(config, connectionString);
  // A command that only reads (audit) must not create tables: a missing table is worth saying.
  if (options.createTables) await stores.ensureTables();
  return { stores, connectionString, close: async () => embedded?.stop() };
}
