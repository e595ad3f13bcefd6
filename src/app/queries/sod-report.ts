import { ROLE_NAMES, roleAllows, roleIn } from "../../domain/admin/roles";
import { domainError, type DomainError } from "../../domain/errors";
import { ACTIVE_ASSIGNMENT_STATES, type Catalog, type UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import { counterpartPackageIds, sodViolations } from "../../domain/sod/report";
import { hasIncompatiblePackages } from "../../domain/sod/separation-of-duties";
import type { SodReportModel } from "../../ports/read-models";
import type { AppDeps } from "../deps";
import { auditRow } from "../shared/effects";
import { loadIndex } from "../shared/context";
import { loadViewContext } from "./view-context";

/**
 * "separation of duties report": who holds incompatible packages, or a package and a group it
 * excludes, today, in every catalog the asker may read (catalog readers and stronger roles). Nobody
 * with no such catalog sees anything: refused, naming the role, and audited.
 */
export async function sodReport(
  deps: AppDeps,
  query: { actorId: UserId; source: string },
): Promise<Result<SodReportModel, DomainError>> {
  const index = await loadIndex(deps);
  const groupIds = deps.governanceAdministratorsGroupId
    ? await deps.directory.getUserGroupIds(query.actorId)
    : [];
  const who = { userId: query.actorId, groupIds };
  const catalogs = index.config.catalogs.filter((c) =>
    roleAllows(roleIn(who, c, deps.governanceAdministratorsGroupId), "viewAssignments"),
  );
  if (catalogs.length === 0) {
    const error = domainError(
      "ADMIN.ROLE_NEEDED",
      `To see the separation of duties report you need to be a ${ROLE_NAMES.catalogReader} of a catalog ` +
        "(or hold a stronger role there).",
      { details: { roleNeeded: "catalogReader" } },
    );
    await deps.audit.append([
      auditRow(deps, {
        actor: query.actorId,
        action: "admin.refused",
        subject: "report:sod",
        source: query.source,
        reason: error.message,
        details: { code: error.code, verb: "viewAssignments", roleNeeded: "catalogReader" },
      }),
    ]);
    return err(error);
  }
  const inScope = new Set(catalogs.map((c) => c.id));
  const packages = index.packages().filter((p) => inScope.has(p.catalogId));
  const involved = packages.filter(
    (p) => p.incompatibleGroupIds.length > 0 || hasIncompatiblePackages(p, index.packageMap()),
  );
  const packageIds = [
    ...new Set([...involved.map((p) => p.id), ...counterpartPackageIds(involved, index.packages())]),
  ];
  const excludedGroupIds = [...new Set(involved.flatMap((p) => p.incompatibleGroupIds))];
  const [holderLists, memberLists, groups] = await Promise.all([
    Promise.all(packageIds.map((id) => deps.assignments.listForPackage(id))),
    Promise.all(excludedGroupIds.map((id) => deps.directory.getGroupMemberIds(id).catch(() => []))),
    Promise.all(excludedGroupIds.map((id) => deps.directory.getGroup(id).catch(() => undefined))),
  ]);
  const holders = new Map(
    packageIds.map((id, i) => [
      id,
      holderLists[i]!.filter((a) => ACTIVE_ASSIGNMENT_STATES.includes(a.state)).map((a) => a.userId),
    ]),
  );
  const groupMembers = new Map(excludedGroupIds.map((id, i) => [id, memberLists[i]!]));
  const violations = sodViolations({
    packages: involved,
    packagesById: index.packageMap(),
    holders,
    groupMembers,
  });
  await deps.audit.append([
    auditRow(deps, {
      actor: query.actorId,
      action: "admin.viewed",
      subject: "report:sod",
      source: query.source,
      details: { what: "sodReport", catalogs: catalogs.map((c) => c.id).join(",") },
    }),
  ]);
  const catalogOf = (packageId: string): Catalog | undefined => index.catalogOfPackage(packageId);
  return ok({
    ctx: await loadViewContext(
      deps,
      violations.map((v) => v.userId),
    ),
    catalogs,
    groupNames: new Map(excludedGroupIds.map((id, i) => [id, groups[i]?.displayName ?? id])),
    violations: violations.map((v) => ({
      ...v,
      catalogId: inScope.has(catalogOf(v.packageId)?.id ?? "")
        ? catalogOf(v.packageId)!.id
        : (catalogOf(v.kind === "packages" ? v.otherPackageId : v.packageId)?.id ?? ""),
    })),
  });
}
