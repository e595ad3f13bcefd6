import type { AuditEntry } from "../../domain/model";
import { ConcurrencyError } from "../../ports/versioned";
import type { AppDeps } from "../deps";

export const nowIso = (deps: Pick<AppDeps, "clock">): string => deps.clock.now().toISOString();

/** Where scheduler-driven changes say they came from in the audit trail. */
export const SCHEDULER_SOURCE = "scheduler";

export const isConflict = (error: unknown): boolean =>
  error instanceof ConcurrencyError ||
  (error as { code?: unknown } | undefined)?.code === "CONCURRENCY.CONFLICT";

/** Runs `attempt` again while it loses a compare-and-swap race (it reloads each time). */
export async function retryOnConflict<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error) || i >= tries) throw error;
    }
  }
}

/** Appends one audit row stamped with a new id and the current time. */
export async function audit(deps: AppDeps, entry: Omit<AuditEntry, "id" | "at">): Promise<void> {
  await deps.audit.append([{ id: deps.ids.next("aud"), at: nowIso(deps), ...entry }]);
}
