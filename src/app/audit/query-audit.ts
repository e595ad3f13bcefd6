import { domainError, type DomainError } from "../../domain/errors";
import type { AuditEntry, GovernanceConfig, UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import type { AppDeps } from "../deps";
import { DEFAULT_AUDIT_LIMIT, readAudit } from "./read-audit";

export const MAX_AUDIT_QUERY_LIMIT = 1000;

export interface QueryAuditInput {
  /** Who asks: the Entra object id of the Teams user. */
  actorId: UserId;
  /** "request:<id>", "assignment:<id>", "package:<id>", ... */
  subject?: string;
  /** Whose access the entries concern. */
  targetUserId?: UserId;
  packageId?: string;
  /** Inclusive, ISO-8601. */
  from?: string;
  /** Exclusive, ISO-8601. */
  to?: string;
  limit?: number;
}

/**
 * The audit trail as one user may see it, newest first. A user may read the entries about
 * themselves (`targetUserId` is their own id); a catalog owner may read the entries of a package in
 * a catalog they own (`packageId`). Any other query is refused with AUDIT.NOT_ALLOWED.
 */
export async function queryAudit(
  deps: Pick<AppDeps, "audit" | "governance">,
  input: QueryAuditInput,
): Promise<Result<AuditEntry[]>> {
  const invalid = auditQueryProblem(input);
  if (invalid) return err(invalid);
  const allowed = isSelf(input) || ownsPackage(await deps.governance.load(), input.actorId, input.packageId);
  if (!allowed) return err(notAllowed(input));
  const entries = await readAudit(deps.audit, {
    subject: input.subject,
    targetUserId: input.targetUserId,
    packageId: input.packageId,
    from: input.from === undefined ? undefined : toInstant(input.from),
    to: input.to === undefined ? undefined : toInstant(input.to),
    limit: input.limit ?? DEFAULT_AUDIT_LIMIT,
  });
  return ok(entries);
}

const isSelf = (input: QueryAuditInput): boolean => input.targetUserId === input.actorId;

function ownsPackage(config: GovernanceConfig, userId: UserId, packageId: string | undefined): boolean {
  if (packageId === undefined) return false;
  const pkg = config.packages.find((p) => p.id === packageId);
  const catalog = pkg && config.catalogs.find((c) => c.id === pkg.catalogId);
  return catalog?.owners.includes(userId) ?? false;
}

function notAllowed(input: QueryAuditInput): DomainError {
  const what =
    input.packageId !== undefined
      ? `the audit trail of access package ${input.packageId}: only owners of its catalog may read it`
      : input.targetUserId !== undefined
        ? "another user's audit trail: you may read your own, or a package's as owner of its catalog"
        : "the audit trail without naming yourself or a package whose catalog you own";
  return domainError("AUDIT.NOT_ALLOWED", `You may not read ${what}.`, {
    details: { actorId: input.actorId },
  });
}

/** Bad dates, a reversed range or a limit out of bounds; undefined when the query is well formed. */
export function auditQueryProblem(input: {
  from?: string;
  to?: string;
  limit?: number;
}): DomainError | undefined {
  const problems: { field: string; message: string }[] = [];
  for (const field of ["from", "to"] as const) {
    const value = input[field];
    if (value !== undefined && !isIsoInstant(value))
      problems.push({ field, message: `"${value}" is not an ISO-8601 date, e.g. 2026-11-23T10:00:00Z` });
  }
  if (problems.length === 0 && input.from !== undefined && input.to !== undefined) {
    if (Date.parse(input.from) >= Date.parse(input.to))
      problems.push({ field: "to", message: "must be after from" });
  }
  const limit = input.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_QUERY_LIMIT))
    problems.push({ field: "limit", message: `use a whole number from 1 to ${MAX_AUDIT_QUERY_LIMIT}` });
  if (problems.length === 0) return undefined;
  const text = problems.map((p) => `${p.field}: ${p.message}`).join("; ");
  return domainError("AUDIT.INVALID_QUERY", `The audit query is not valid (${text}).`, { problems });
}

/** A calendar date ("2026-11-23") or a date and time with a zone ("2026-11-23T10:00:00Z"). */
export function isIsoInstant(value: string): boolean {
  const shape = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const match = shape.exec(value);
  if (!match || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The canonical UTC form the stores compare ("2026-11-23T10:00:00.000Z"). */
export const toInstant = (value: string): string => new Date(value).toISOString();
