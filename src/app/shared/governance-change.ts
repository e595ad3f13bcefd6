import type { AuditEntry, GovernanceConfig } from "../../domain/model";
import type { Logger } from "../../ports/logger";
import type { AuditLog, GovernanceStore } from "../../ports/stores";
import { ConcurrencyError } from "../../ports/versioned";

const MAX_ATTEMPTS = 5;

export interface GovernanceChangeDeps {
  governance: GovernanceStore;
  audit: AuditLog;
  logger?: Logger;
}

/** What a change decides on the current configuration: nothing, or the next one and its audit rows. */
export type GovernanceEdit<T> =
  | { value: T; next?: undefined }
  | {
      value: T;
      next: GovernanceConfig;
      /** The audit rows of the switch; ids should derive from the version (a rerun writes the same). */
      audit: (version: string) => AuditEntry[];
    };

/**
 * Appends the audit rows that earlier switches promised and a crash or a storage error left unwritten
 * (the audit log keeps one copy per id, so rows written before the crash are not doubled), then
 * confirms them. Returns how many rows were owed.
 */
export async function settleGovernanceAudit(deps: GovernanceChangeDeps): Promise<number> {
  const owed = await deps.governance.owedAudit();
  if (owed.length === 0) return 0;
  const entries = owed.flatMap((o) => o.entries);
  if (entries.length > 0) await deps.audit.append(entries);
  await deps.governance.confirmAudited(owed.map((o) => o.version));
  return entries.length;
}

/**
 * Changes the governance configuration as one switch: `edit` decides on the current version; the new
 * version is stored whole with its audit rows, then made current by one compare-and-swap; then the
 * rows are appended and confirmed, and versions nobody needs are pruned. A crash or a storage error
 * leaves the old configuration or the new one, never a mix, and rows a switch promised stay owed
 * until the next change (or start) appends them. When another change switched first, `edit` runs
 * again on its result.
 */
export async function changeGovernance<T>(
  deps: GovernanceChangeDeps,
  newVersion: () => string,
  edit: (current: GovernanceConfig) => GovernanceEdit<T>,
): Promise<{ value: T; version?: string }> {
  let tried: { version: string; value: T } | undefined;
  for (let attempt = 1; ; attempt += 1) {
    // Also after a lost race: the "winner" may be our own switch whose answer was lost.
    await settleGovernanceAudit(deps);
    const current = await deps.governance.current();
    if (tried && current.version === tried.version) return tried;
    const decided = edit(current.config);
    if (decided.next === undefined) return { value: decided.value };
    const version = newVersion();
    const audit = decided.audit(version);
    tried = { version, value: decided.value };
    try {
      await deps.governance.publish({ version, base: current.version, config: decided.next, audit });
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      continue;
    }
    // Switched: from here the rows are owed, and a crash leaves them to the next settle.
    await settleGovernanceAudit(deps);
    try {
      await deps.governance.prune();
    } catch (error) {
      // Leftover versions are harmless and the next change prunes them.
      deps.logger?.warn({ err: error }, "could not prune old governance versions");
    }
    return { value: decided.value, version };
  }
}
