import type { Stores } from "../../src/adapters/memory";
import { createMemoryStores } from "../../src/adapters/memory";
import { createTableStores, type TableStoreOptions, type TableStores } from "../../src/adapters/tables";
import { startAzurite, type RunningAzurite } from "../support/azurite";

export interface StoreContext {
  /** Fresh, empty stores for the current test. */
  stores(): Stores;
  /** The table stores when running against Azurite (operation counts, index repair). */
  tables(): TableStores | undefined;
  /** Another set of table stores over the same tables (a second instance), with its own options. */
  otherInstance(opts?: Omit<TableStoreOptions, "tablePrefix">): TableStores;
}

export type ContractSection = (ctx: StoreContext) => void;

let prefixSerial = 0;

/**
 * Runs every section once against the memory stores and once against Table Storage on Azurite;
 * `tableSections` only against the tables (operation counts, index repair).
 */
export function runContract(sections: ContractSection[], tableSections: ContractSection[] = []): void {
  describe("memory stores", () => {
    let stores: Stores;
    beforeEach(() => {
      stores = createMemoryStores();
    });
    const ctx: StoreContext = {
      stores: () => stores,
      tables: () => undefined,
      otherInstance: () => {
        throw new Error("only the table stores have other instances");
      },
    };
    sections.forEach((section) => section(ctx));
  });

  describe("table stores on Azurite", function () {
    this.timeout(30_000);
    let azurite: RunningAzurite;
    let stores: TableStores;
    let prefix = "";
    before(async () => {
      azurite = await startAzurite({ inMemory: true });
    });
    after(async () => {
      await azurite?.stop();
    });
    beforeEach(async () => {
      prefixSerial += 1;
      prefix = `t${Date.now()}n${prefixSerial}`;
      stores = createTableStores(azurite.connectionString, { tablePrefix: prefix });
      await stores.ensureTables();
    });
    const ctx: StoreContext = {
      stores: () => stores,
      tables: () => stores,
      otherInstance: (opts = {}) =>
        createTableStores(azurite.connectionString, { ...opts, tablePrefix: prefix }),
    };
    [...sections, ...tableSections].forEach((section) => section(ctx));
  });
}
