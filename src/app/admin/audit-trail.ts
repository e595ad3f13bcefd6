import type { AuditGroups, AuditReader } from "../../domain/admin/audit-access";
import { packageAuditRole, personAuditScope } from "../../domain/admin/audit-access";
import { domainError, type DomainError } from "../../domain/errors";
import type { AuditEntry, UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import { addMs } from "../../domain/time";
import type { AuditAbout, AuditTrailModel } from "../../ports/admin-read-models";
import { MAX_AUDIT_QUERY_LIMIT, MAX_AUDIT_SCAN, readAudit } from "../audit";
import type { AppDeps } from "../deps";
import { loadViewContext } from "../queries/view-context";
import { loadIndex, nowIso } from "../shared/context";
import { auditRow } from "../shared/effects";

export type { AuditAbout, AuditTrailModel };

export interface AuditTrailQuery {
  actorId: UserId;
  about: AuditAbout;
  /** Only the last n days; all of it when absent. */
  days?: number;
  /** "chat:audit", "link:audit.csv", "cli:access" */
  source: string;
  /** Entries wanted (the card shows a few, a CSV up to MAX_AUDIT_QUERY_LIMIT). */
  limit: number;
  /** Audited as a CSV export. */
  csv?: boolean;
}

export const MAX_AUDIT_DAYS = 3650;
const DAY_MS = 86_400_000;

/**
 * `audit <person>` / `audit <package> [last <n> days]`: the trail as the actor may read it (the rule
 * in domain/admin/audit-access.ts). Reading is audited (`admin.viewed`); a refusal is audited too
 * (`admin.refused`, with the role needed) and changes nothing else.
 */
export async function auditTrail(
  deps: AppDeps,
  query: AuditTrailQuery,
): Promise<Result<AuditTrailModel, DomainError>> {
  const { days } = query;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_AUDIT_DAYS))
    return err(
      domainError("AUDIT.INVALID_QUERY", `Ask for 1 to ${MAX_AUDIT_DAYS} days, e.g. "last 30 days".`),
    );
  const index = await loadIndex(deps);
  const groups: AuditGroups = {
    administratorsGroupId: deps.governanceAdministratorsGroupId,
    auditorsGroupId: deps.auditorsGroupId,
  };
  const groupIds =
    groups.administratorsGroupId || groups.auditorsGroupId
      ? await deps.directory.getUserGroupIds(query.actorId)
      : [];
  const who = { userId: query.actorId, groupIds };
  const limit = Math.min(Math.max(1, query.limit), MAX_AUDIT_QUERY_LIMIT);
  const from = days === undefined ? undefined : addMs(nowIso(deps), -days * DAY_MS);
  const { about } = query;

  let role: AuditReader;
  let entries: AuditEntry[];
  let name: string;
  if (about.kind === "package") {
    const pkg = index.package(about.packageId);
    if (!pkg) return err(domainError("PACKAGE.NOT_FOUND", "There is no such access package."));
    name = pkg.name;
    const allowed = packageAuditRole(who, index.catalogOfPackage(pkg.id), pkg.name, groups);
    if (!allowed.ok) return refused(deps, query, allowed.error, { packageId: pkg.id });
    role = allowed.value.role;
    entries = await readAudit(deps.audit, { packageId: pkg.id, from, limit });
  } else {
    const person = await deps.directory.getUser(about.userId).catch(() => undefined);
    name = person?.displayName ?? about.userId;
    const scope = personAuditScope(who, index.config.catalogs, groups);
    if (!scope.ok) return refused(deps, query, scope.error, { targetUserId: about.userId });
    role = scope.value.role;
    const catalogIds = scope.value.catalogIds;
    if (!catalogIds) entries = await readAudit(deps.audit, { targetUserId: about.userId, from, limit });
    else {
      // The store indexes by user, not by catalog: read a wider window and keep the catalogs' rows.
      const read = await readAudit(deps.audit, {
        targetUserId: about.userId,
        from,
        limit: Math.min(limit * 20, MAX_AUDIT_SCAN),
      });
      const mine = new Set(catalogIds);
      entries = read
        .filter((e) => e.packageId !== undefined && mine.has(index.package(e.packageId)?.catalogId ?? ""))
        .slice(0, limit);
    }
  }
  await deps.audit.append([
    auditRow(deps, {
      actor: query.actorId,
      action: "admin.viewed",
      subject: subjectOf(about),
      ...(about.kind === "package" ? { packageId: about.packageId } : { targetUserId: about.userId }),
      source: query.source,
      details: {
        what: query.csv ? "audit.csv" : "audit",
        role,
        ...(days !== undefined ? { days: String(days) } : {}),
      },
    }),
  ]);
  const ctx = await loadViewContext(deps, [
    ...entries.flatMap((e) => [e.actor, e.targetUserId, e.details?.onBehalfOf]),
    ...(about.kind === "person" ? [about.userId] : []),
  ]);
  return ok({ ctx, about, name, role, entries, ...(days !== undefined ? { days } : {}) });
}

export const subjectOf = (about: AuditAbout): string =>
  about.kind === "package" ? `package:${about.packageId}` : `user:${about.userId}`;

async function refused(
  deps: AppDeps,
  query: AuditTrailQuery,
  error: DomainError,
  about: { packageId?: string; targetUserId?: UserId },
): Promise<Result<never, DomainError>> {
  await deps.audit.append([
    auditRow(deps, {
      actor: query.actorId,
      action: "admin.refused",
      subject: subjectOf(query.about),
      ...about,
      source: query.source,
      reason: error.message,
      details: { code: error.code, verb: "readAudit", ...(error.details as Record<string, string>) },
    }),
  ]);
  return err(error);
}
