import type { Stores } from "../../src/adapters/memory";
import type { TableStoreOptions, TableStores } from "../../src/adapters/tables";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores, freshTablePrefix, memoryStores, tableStoresOn } from "../support/stores";

export interface StoreContext {
  /** Fresh, empty stores for the current test. */
  stores(): Stores;
  /** The table stores when running against Azurite (operation counts, index repair). */
  tables(): TableStores | undefined;
  /** Another set of table stores over the same tables (a second instance), with its own options. */
  otherInstance(opts?: Omit<TableStoreOptions, "tablePrefix">): TableStores;
}

export type ContractSection = (ctx: StoreContext) => void;

/**
 * Runs every section once against the memory stores and once against Table Storage on Azurite;
 * `tableSections` only against the tables (operation counts, index repair).
 */
export function runContract(sections: ContractSection[], tableSections: ContractSection[] = []): void {
  describe("memory stores", () => {
    let stores: Stores;
    beforeEach(() => {
      stores = memoryStores();
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
    const azurite = azuriteForSuite();
    let stores: TableStores;
    let prefix = "";
    beforeEach(async () => {
      prefix = freshTablePrefix();
      stores = await azuriteStores(azurite(), { tablePrefix: prefix });
    });
    const ctx: StoreContext = {
      stores: () => stores,
      tables: () => stores,
      otherInstance: (opts = {}) => tableStoresOn(azurite(), { ...opts, tablePrefix: prefix }),
    };
    [...sections, ...tableSections].forEach((section) => section(ctx));
  });
}
