/** The run without faults that every point is compared with, shared by the suites of one run. */
import { freshTablePrefix } from "../../support/stores";
import { createDesk } from "./desk";
import {
  employeeState,
  finishInProcess,
  messagesByEmployee,
  type People,
  people,
  type Reference,
} from "./figures";
import type { Fixture, Sent } from "./fixture";
import type { TableStores } from "../../../src/adapters/tables";

let baselineRun: Promise<Reference> | undefined;

/** Keeps a reference another test measured, for the tests after it. */
export function rememberReference(reference: Reference): void {
  baselineRun ??= Promise.resolve(reference);
}

/**
 * The reference for tests that have no run of their own without faults: one taken earlier in this
 * run, else one lifecycle run now in this process on fresh tables.
 */
export function baseline(f: Fixture): Promise<Reference> {
  baselineRun ??= (async () => {
    const prefix = freshTablePrefix("fb");
    const mark = f.sent.length;
    const desk = createDesk({
      connectionString: f.azurite.connectionString,
      prefix,
      connector: f.connector.serviceUrl,
      employees: 1,
      clockOffsetMs: 0,
    });
    await desk.seed();
    await finishInProcess(desk, { submit: [0], approve: [0] });
    return referenceOf(desk.stores, people(1), f.sent.slice(mark));
  })();
  return baselineRun;
}

/** The reference: one employee's messages and audit rows after a run without faults. */
export async function referenceOf(stores: TableStores, p: People, sent: Sent[]): Promise<Reference> {
  const messages = messagesByEmployee(p, sent).get(0) ?? new Map<string, number>();
  const state = await employeeState(stores, p.employees[0]!.id);
  return { messages, audit: state.audit };
}
