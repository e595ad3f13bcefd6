import type { AppDeps } from "../deps";
import type {
  Assignment,
  AuditEntry,
  Deadline,
  DomainEvent,
  DriftFinding,
  Instant,
  UserId,
} from "../../domain/model";
import { findDrift, managedRoles, type ResourceDrift } from "../../domain/reconciliation/drift";
import type { GovernanceIndex } from "../../domain/governance-index";
import { fromMs, toMs } from "../../domain/time";
import type { ProvisioningOutcome } from "../../ports/provisioner";
import { SCHEDULER_SOURCE, type DueHandler } from "../due-work";
import { loadIndex, nowIso } from "../shared/context";
import { auditRow } from "../shared/effects";

export interface ReconcileReport {
  /** Resource roles whose holders were read. */
  checked: number;
  drifts: ResourceDrift[];
  findings: DriftFinding[];
}

const succeeded = (o: ProvisioningOutcome | undefined) => o !== undefined && o.status !== "failed";

/**
 * The reconciliation sweep: every role the access packages grant, its real holders (directory or
 * Microsoft Graph) against the assignments that grant it. A grant removed outside Access Desk is
 * given back and audited; a holder no assignment grants is reported to the catalog owners, and
 * removed (audited) when every policy granting the role opts in. Nothing is decided on a role
 * whose holders could not be read.
 */
export async function reconcileAccess(deps: AppDeps, source = SCHEDULER_SOURCE): Promise<ReconcileReport> {
  const read = deps.provisioner.holders?.bind(deps.provisioner);
  if (!read) return { checked: 0, drifts: [], findings: [] };
  const index = await loadIndex(deps);
  const roles = [...managedRoles(index).values()].map((r) => r.role);
  if (roles.length === 0) return { checked: 0, drifts: [], findings: [] };
  const holders = await read(roles);
  const byId = new Map<string, Assignment>();
  for (const pkg of index.packages())
    for (const a of await deps.assignments.listForPackage(pkg.id)) byId.set(a.id, a);
  const drifts = findDrift(index, [...byId.values()], holders);
  const rows: AuditEntry[] = [];
  const findings: Array<DriftFinding & { packageIds: string[] }> = [];
  for (const drift of drifts) {
    const row = (
      action: AuditEntry["action"],
      userId: UserId,
      packageId: string | undefined,
      subject: string,
    ) =>
      rows.push(
        auditRow(deps, {
          actor: "system",
          action,
          subject,
          source,
          targetUserId: userId,
          ...(packageId ? { packageId } : {}),
          reason: drift.role.displayName,
        }),
      );
    const reapplyTo = [...new Map(drift.missing.map((m) => [m.userId, m])).values()];
    const given = await deps.provisioner.apply(
      reapplyTo.map((m) => ({ action: "grant" as const, userId: m.userId, role: drift.role })),
    );
    const reapplied = reapplyTo.filter((_, k) => succeeded(given[k]));
    for (const m of reapplied)
      row(
        "resource.reapplied",
        m.userId,
        byId.get(m.assignmentId)?.packageId,
        `assignment:${m.assignmentId}`,
      );
    let removed: UserId[] = [];
    if (drift.removeOutOfBand && drift.outOfBand.length > 0) {
      const taken = await deps.provisioner.apply(
        drift.outOfBand.map((userId) => ({ action: "revoke" as const, userId, role: drift.role })),
      );
      removed = drift.outOfBand.filter((_, k) => succeeded(taken[k]));
      for (const userId of removed)
        row("resource.outOfBandRemoved", userId, drift.packageIds[0], `resource:${drift.key}`);
    }
    findings.push({
      key: drift.key,
      packageIds: drift.packageIds,
      outOfBand: drift.outOfBand.filter((u) => !removed.includes(u)),
      removed,
      reapplied: reapplied.map((m) => m.userId),
    });
  }
  const events = eventsByCatalog(index, findings);
  // A report, not a transition: nothing to journal; the next sweep reports what is still there.
  if (rows.length > 0) await deps.audit.append(rows);
  if (events.length > 0) await deps.events.publish(events);
  deps.logger.info({ checked: holders.size, drifts: drifts.length }, "reconciliation sweep done");
  return { checked: holders.size, drifts, findings: findings.map(({ packageIds: _, ...f }) => f) };
}

/** One `DriftFound` per catalog whose resources drifted: that catalog's owners are told. */
function eventsByCatalog(
  index: GovernanceIndex,
  findings: Array<DriftFinding & { packageIds: string[] }>,
): DomainEvent[] {
  const byCatalog = new Map<string, DriftFinding[]>();
  for (const { packageIds, ...finding } of findings) {
    const catalogs = new Set(packageIds.flatMap((id) => index.package(id)?.catalogId ?? []));
    for (const catalogId of catalogs)
      byCatalog.set(catalogId, [...(byCatalog.get(catalogId) ?? []), finding]);
  }
  return [...byCatalog].map(([catalogId, resources]) => ({
    type: "DriftFound" as const,
    catalogId,
    resources,
  }));
}

/** The next sweep: on the interval's grid, so scheduling it again (each startup) stores it once. */
export function reconcileDeadline(now: Instant, intervalHours: number): Deadline {
  const interval = intervalHours * 3_600_000;
  return {
    kind: "reconcileAccess",
    dueAt: fromMs(Math.floor(toMs(now) / interval) * interval + interval),
    subjectId: "directory",
    discriminator: "interval",
  };
}

/** Schedules the recurring reconciliation sweep (idempotent; call at startup). */
export async function scheduleReconciliation(
  deps: Pick<AppDeps, "due">,
  now: Instant,
  intervalHours: number,
): Promise<void> {
  await deps.due.schedule([reconcileDeadline(now, intervalHours)]);
}

/** `reconcileAccess` (subject "directory"): sweep, then schedule the next one. */
export const reconcileAccessHandler =
  (intervalHours: number): DueHandler =>
  async (deps) => {
    await reconcileAccess(deps);
    await deps.due.schedule([reconcileDeadline(nowIso(deps), intervalHours)]);
  };
