import type { AuditEntry, GovernanceConfig, Instant, UserId } from "../domain/model";
import type { AuditLog, GovernanceStore } from "../ports/stores";
import { loadGovernance } from "./load";
import type { CrossCheckOptions } from "./located";
import { planGovernance, type Change } from "./plan";
import type { ConfigProblem } from "./problems";

export interface ApplyGovernanceInput {
  store: GovernanceStore;
  audit: AuditLog;
  /** An already validated configuration (see loadGovernance). */
  desired: GovernanceConfig;
  actor: UserId | "system";
  now: Instant;
  /** Audit entry ids; by default derived from `now` and the change's position. */
  newId?: (index: number) => string;
  /** Where the change came from, for the audit trail. */
  source?: string;
}

const MAX_DETAIL = 4000;

/**
 * Makes the stored configuration match `desired` and audits one "config.changed" entry per change.
 * Idempotent: when nothing differs, nothing is written and the result is empty.
 */
export async function applyGovernance(input: ApplyGovernanceInput): Promise<Change[]> {
  const changes = planGovernance(await input.store.load(), input.desired);
  if (changes.length === 0) return [];
  await input.store.save(input.desired);
  // Saved first: an audit row must never claim a change that did not happen.
  const newId =
    input.newId ?? ((i: number) => `config-${Date.parse(input.now)}-${String(i).padStart(4, "0")}`);
  await input.audit.append(changes.map((c, i) => auditEntry(c, newId(i), input)));
  return changes;
}

function auditEntry(c: Change, id: string, input: ApplyGovernanceInput): AuditEntry {
  const fields = c.fields.map((f) => f.path).join(", ");
  return {
    id,
    at: input.now,
    actor: input.actor,
    action: "config.changed",
    subject: `${c.kind}:${c.id}`,
    ...(c.packageId ? { packageId: c.packageId } : {}),
    reason: c.summary.length > MAX_DETAIL ? `${c.summary.slice(0, MAX_DETAIL - 1)}…` : c.summary,
    source: input.source ?? "governance:apply",
    details: {
      change: c.action,
      kind: c.kind,
      name: c.name,
      ...(fields ? { fields: fields.slice(0, MAX_DETAIL) } : {}),
    },
  };
}

export type ApplyFromFilesResult = { ok: true; changes: Change[] } | { ok: false; problems: ConfigProblem[] };

/** Validates every file first; only a configuration without problems reaches the store. */
export async function applyGovernanceFromDir(
  dir: string,
  input: Omit<ApplyGovernanceInput, "desired">,
  options: CrossCheckOptions = {},
): Promise<ApplyFromFilesResult> {
  const loaded = await loadGovernance(dir, options);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  return { ok: true, changes: await applyGovernance({ ...input, desired: loaded.config }) };
}
