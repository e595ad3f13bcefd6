import type { AppDeps } from "../app/deps";
import type { DueKind } from "../domain/model";
import type { DueItem } from "../ports/stores";

/**
 * Runs one due item. It reloads its subject and treats a stale deadline as done; it throws only
 * when the work should be tried again after the claim expires.
 */
export type DueHandler = (deps: AppDeps, item: DueItem) => Promise<void>;

export type DueHandlers = Partial<Record<DueKind, DueHandler>>;

/** Handler tables merged left to right (later ones win), e.g. request deadlines plus lifecycle. */
export const mergeHandlers = (...tables: DueHandlers[]): DueHandlers => Object.assign({}, ...tables);
