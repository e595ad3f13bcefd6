import { filedWithPerson, personOf } from "../../src/adapters/tables/audit-copies";
import { createMemoryStores, MemoryGovernanceStore, type MemoryStores } from "../../src/adapters/memory";
import { createTableStores, type TableStoreOptions, type TableStores } from "../../src/adapters/tables";
import type { GovernanceConfig } from "../../src/domain/model";
import type { RunningAzurite } from "./azurite";

/** Fresh in-memory stores; the governance is there from the start, so a synchronous world can use it. */
export function memoryStores(governance?: GovernanceConfig): MemoryStores {
  const stores = createMemoryStores();
  if (governance) stores.governance = new MemoryGovernanceStore(governance);
  checkAuditPersons(stores);
  return stores;
}

/**
 * The table store files an entry about a request's or an assignment's lifecycle under that
 * request's or assignment's person, and finds it there by its subject (audit-copies.ts). Every
 * world on memory stores checks that such entries name that person.
 */
function checkAuditPersons(stores: MemoryStores): void {
  const append = stores.audit.append.bind(stores.audit);
  stores.audit.append = async (entries) => {
    for (const entry of entries) {
      if (!filedWithPerson(entry)) continue;
      const person = await personOf(entry.subject, stores.requests, stores.assignments);
      if (person !== undefined && person !== entry.targetUserId)
        throw new Error(
          `audit entry ${entry.action} about ${entry.subject} names ${entry.targetUserId}, not its person ${person}`,
        );
    }
    return append(entries);
  };
}

let serial = 0;

/** A table prefix nothing else in this process uses: tests share one Azurite without seeing each other. */
export function freshTablePrefix(label = "t"): string {
  serial += 1;
  return `${label}${Date.now()}n${serial}`;
}

/** Where table stores live: a running Azurite, or a connection string (a proxy in front of one). */
export type TableTarget = RunningAzurite | string;

/** Another instance's view of the tables: its own clients and operation counter; creates nothing. */
export function tableStoresOn(target: TableTarget, options: TableStoreOptions = {}): TableStores {
  const connectionString = typeof target === "string" ? target : target.connectionString;
  return createTableStores(connectionString, { tablePrefix: freshTablePrefix(), ...options });
}

/** Table stores with their tables created and, if given, the governance saved. */
export async function azuriteStores(
  target: TableTarget,
  options: TableStoreOptions & { governance?: GovernanceConfig } = {},
): Promise<TableStores> {
  const { governance, ...tableOptions } = options;
  const stores = tableStoresOn(target, tableOptions);
  await stores.ensureTables();
  if (governance) await stores.governance.save(governance);
  return stores;
}
