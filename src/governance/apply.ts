import { randomBytes } from "node:crypto";
import { changeGovernance } from "../app/shared/governance-change";
import type { AuditEntry, GovernanceConfig, Instant, UserId } from "../domain/model";
import type { AuditLog, DueWorkIndex, GovernanceStore } from "../ports/stores";
import { scheduleConfiguredWork, type ConfiguredWorkSettings } from "./schedule-configured-work";
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
  /** The id of the version the apply stores; by default from `now` and random bits. */
  newVersion?: () => string;
  /** Audit entry ids; by default derived from the version and the change's position. */
  newId?: (index: number, version: string) => string;
  /** Where the change came from, for the audit trail. */
  source?: string;
  /**
   * The due-work index: given, the review starts and auto-assignment evaluations the configuration
   * implies are scheduled by the apply itself (idempotent), so running instances need no restart.
   */
  due?: DueWorkIndex;
  /** The interval of auto-assignment evaluations; the same as the running instances' (default 60 min). */
  lifecycle?: ConfiguredWorkSettings;
}

const MAX_DETAIL = 4000;

/**
 * Makes the stored configuration match `desired` in one switch (see changeGovernance) and audits
 * one "config.changed" entry per change, carrying the version. Idempotent: when nothing differs,
 * nothing is written and the result is empty; audit entries an interrupted apply still owed are
 * appended either way.
 */
export async function applyGovernance(input: ApplyGovernanceInput): Promise<Change[]> {
  const schedule = async () => {
    if (input.due)
      await scheduleConfiguredWork({ due: input.due }, input.desired, input.now, input.lifecycle);
  };
  // Before the switch, as every promise is stored before the state that needs it: a crash after the
  // switch leaves nothing unscheduled. Again after it: an item that fell due in between found the
  // old configuration and ended; scheduling it again brings it back (per key, so never twice).
  await schedule();
  const changes = await switchTo(input);
  await schedule();
  return changes;
}

async function switchTo(input: ApplyGovernanceInput): Promise<Change[]> {
  const newVersion =
    input.newVersion ?? (() => `cfg-${Date.parse(input.now).toString(36)}-${randomBytes(6).toString("hex")}`);
  const newId =
    input.newId ?? ((i: number, version: string) => `config-${version}-${String(i).padStart(4, "0")}`);
  const { value } = await changeGovernance(
    { governance: input.store, audit: input.audit },
    newVersion,
    (current) => {
      const changes = planGovernance(current, input.desired);
      if (changes.length === 0) return { value: [] };
      return {
        value: changes,
        next: input.desired,
        audit: (version) => changes.map((c, i) => auditEntry(c, newId(i, version), version, input)),
      };
    },
  );
  return value;
}

function auditEntry(c: Change, id: string, version: string, input: ApplyGovernanceInput): AuditEntry {
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
      version,
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
