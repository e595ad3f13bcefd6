import type { AppDeps } from "./deps";
import type { DueKind } from "../domain/model";
import type { DueItem } from "../ports/stores";

/**
 * Runs one due item. It reloads its subject and treats a stale deadline as done; it throws only
 * when the work should be tried again after the claim expires. Declared here, not in the
 * scheduler, because the use cases implement it and app imports only app, domain and ports.
 */
export type DueHandler = (deps: AppDeps, item: DueItem) => Promise<void>;

export type DueHandlers = Partial<Record<DueKind, DueHandler>>;

/** Handler tables merged left to right (later ones win), e.g. request deadlines plus lifecycle. */
export const mergeHandlers = (...tables: DueHandlers[]): DueHandlers => Object.assign({}, ...tables);

/** Where scheduler-driven changes say they came from in the audit trail. */
export const SCHEDULER_SOURCE = "scheduler";
