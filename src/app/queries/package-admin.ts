import type { AdminVerb } from "../../domain/admin/roles";
import type { DomainError } from "../../domain/errors";
import type { GovernanceIndex } from "../../domain/governance-index";
import {
  ACTIVE_ASSIGNMENT_STATES,
  type AccessPackage,
  type AccessRequest,
  type Assignment,
  type DirectoryUser,
  type UserId,
} from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import { findAdminPackage } from "../../domain/search";
import type { HowAssigned, PackageHoldersModel, PackageRequestsModel } from "../../ports/read-models";
import { csvCell } from "../audit/export-audit";
import type { AppDeps } from "../deps";
import { authorizeAdmin } from "../shared/admin-role";
import { auditRow } from "../shared/effects";
import { loadIndex } from "../shared/context";
import { loadViewContext } from "./view-context";

export const HOLDERS_PAGE_SIZE = 10;
/** Rows an export shown on a card may hold; `npm run access -- who-has <package> --csv` has no cap. */
export const CSV_ON_CARD_ROWS = 150;

export type AdminPackageAnswer =
  | { kind: "one"; pkg: AccessPackage }
  | { kind: "several"; packages: AccessPackage[] }
  | { kind: "none" };

/** The package an administrator names (id, or words with typos; hidden packages included). */
export async function resolveAdminPackage(deps: AppDeps, query: string): Promise<AdminPackageAnswer> {
  const index = await loadIndex(deps);
  const found = findAdminPackage(
    query,
    index.packages().map((p) => ({
      package: p,
      catalogName: index.catalog(p.catalogId)?.name ?? "",
      resourceNames: p.resourceRoles.map((r) => r.displayName),
    })),
  );
  if (found.kind === "one") return { kind: "one", pkg: found.match.package };
  if (found.kind === "several") return { kind: "several", packages: found.matches.map((m) => m.package) };
  return { kind: "none" };
}

export interface AdminQuery {
  actorId: UserId;
  packageId: string;
  /** "chat:who-has", "card:holders.page", "cli:access", ... */
  source: string;
}

/** The role check and the `admin.viewed` audit row every read of a package's assignments makes. */
async function viewed(
  deps: AppDeps,
  index: GovernanceIndex,
  query: AdminQuery,
  what: string,
  verb: AdminVerb = "viewAssignments",
): Promise<Result<AccessPackage>> {
  const allowed = await authorizeAdmin(deps, index, { ...query, verb });
  if (!allowed.ok) return allowed;
  await deps.audit.append([
    auditRow(deps, {
      actor: query.actorId,
      action: "admin.viewed",
      subject: `package:${query.packageId}`,
      packageId: query.packageId,
      source: query.source,
      details: { what, role: allowed.value.role },
    }),
  ]);
  return ok(allowed.value.pkg);
}

const byStart = (a: Assignment, b: Assignment) =>
  a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** A request by the person (or their manager) is "request"; an admin's add "direct"; a rule's "auto". */
export function howAssigned(index: GovernanceIndex, request: AccessRequest | undefined): HowAssigned {
  if (!request) return "direct";
  if (request.type === "adminAdd") return "direct";
  if (request.type === "systemAdd") return index.policy(request.policyId)?.autoAssignment ? "auto" : "direct";
  return "request";
}

async function withHow(
  deps: AppDeps,
  index: GovernanceIndex,
  assignments: Assignment[],
): Promise<{ assignment: Assignment; how: HowAssigned }[]> {
  return Promise.all(
    assignments.map(async (assignment) => ({
      assignment,
      how: howAssigned(index, (await deps.requests.get(assignment.requestId))?.value),
    })),
  );
}

/** "who has <package>": one page of its active assignments (readers and stronger roles). */
export async function whoHas(
  deps: AppDeps,
  query: AdminQuery & { page?: number; csv?: boolean },
): Promise<Result<PackageHoldersModel, DomainError>> {
  const index = await loadIndex(deps);
  const pkg = await viewed(deps, index, query, query.csv ? "assignments.csv" : "assignments");
  if (!pkg.ok) return err(pkg.error);
  const active = (await deps.assignments.listForPackage(pkg.value.id))
    .filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state))
    .sort(byStart);
  const pages = Math.max(1, Math.ceil(active.length / HOLDERS_PAGE_SIZE));
  const page = Math.min(Math.max(0, query.page ?? 0), pages - 1);
  const shown = active.slice(page * HOLDERS_PAGE_SIZE, (page + 1) * HOLDERS_PAGE_SIZE);
  const [rows, ctx, csv] = await Promise.all([
    withHow(deps, index, shown),
    loadViewContext(
      deps,
      shown.map((a) => a.userId),
    ),
    query.csv ? holdersCsv(deps, index, active.slice(0, CSV_ON_CARD_ROWS)) : undefined,
  ]);
  return ok({
    ctx,
    pkg: pkg.value,
    rows,
    total: active.length,
    page,
    pageSize: HOLDERS_PAGE_SIZE,
    ...(csv
      ? {
          csv: {
            text: csv,
            rows: Math.min(active.length, CSV_ON_CARD_ROWS),
            truncated: active.length > CSV_ON_CARD_ROWS,
          },
        }
      : {}),
  });
}

export const HOLDERS_CSV_COLUMNS = [
  "person",
  "userId",
  "state",
  "start",
  "end",
  "howAssigned",
  "assignmentId",
] as const;

/** Assignments as RFC 4180 CSV (CRLF, header first), names read from the directory. */
export async function holdersCsv(
  deps: AppDeps,
  index: GovernanceIndex,
  assignments: Assignment[],
): Promise<string> {
  const rows = await withHow(deps, index, assignments);
  const names = new Map<UserId, DirectoryUser | undefined>();
  await Promise.all(
    [...new Set(assignments.map((a) => a.userId))].map(async (id) =>
      names.set(id, await deps.directory.getUser(id).catch(() => undefined)),
    ),
  );
  const lines = rows.map(({ assignment: a, how }) => [
    names.get(a.userId)?.displayName ?? "",
    a.userId,
    a.state,
    a.startAt,
    a.endAt ?? "",
    how,
    a.id,
  ]);
  return [[...HOLDERS_CSV_COLUMNS], ...lines].map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}

/** Every active assignment of a package as CSV: the CLI twin's export (no page, no cap). */
export async function exportHolders(deps: AppDeps, query: AdminQuery): Promise<Result<string, DomainError>> {
  const index = await loadIndex(deps);
  const pkg = await viewed(deps, index, query, "assignments.csv");
  if (!pkg.ok) return err(pkg.error);
  const active = (await deps.assignments.listForPackage(pkg.value.id))
    .filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state))
    .sort(byStart);
  return ok(await holdersCsv(deps, index, active));
}

/** "pending <package>": its open requests and where each waits (readers and stronger roles). */
export async function pendingFor(
  deps: AppDeps,
  query: AdminQuery,
): Promise<Result<PackageRequestsModel, DomainError>> {
  const index = await loadIndex(deps);
  const pkg = await viewed(deps, index, query, "requests");
  if (!pkg.ok) return err(pkg.error);
  const requests = await deps.requests.listOpenForPackage(pkg.value.id);
  const shown = requests.slice(0, 20);
  const ctx = await loadViewContext(
    deps,
    shown.flatMap((r) => [
      r.requesterId,
      r.targetUserId,
      ...(r.currentStage !== undefined ? (r.stages[r.currentStage]?.approvers ?? []) : []),
    ]),
  );
  return ok({ ctx, pkg: pkg.value, requests });
}

/**
 * "link for <package>": the package to hand out by link (how a hidden package is reached), for
 * access package managers and stronger roles; audited as `admin.viewed` (`what`: link).
 */
export async function packageForLink(
  deps: AppDeps,
  query: AdminQuery,
): Promise<Result<AccessPackage, DomainError>> {
  return viewed(deps, await loadIndex(deps), query, "link", "sharePackage");
}
