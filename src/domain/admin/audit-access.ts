import { domainError, type DomainError } from "../errors";
import type { Catalog, GroupId } from "../model";
import { err, ok, type Result } from "../result";
import { roleIn, ROLE_NAMES, type AdminRole, type Administrator } from "./roles";

/**
 * Who reads whose audit trail. As in Entra, a catalog's owners and readers see what happened to its
 * packages; auditors (members of a configured group) and governance administrators see everything.
 * Package managers and assignment managers manage, they do not audit.
 */
export type AuditReader = "governanceAdministrator" | "auditor" | "catalogOwner" | "catalogReader";

const CATALOG_AUDIT_ROLES: AdminRole[] = ["catalogOwner", "catalogReader"];

export interface AuditGroups {
  administratorsGroupId?: GroupId;
  auditorsGroupId?: GroupId;
}

/** A role that reads every catalog's audit trail, if the person holds one. */
export function tenantAuditRole(who: Administrator, groups: AuditGroups): AuditReader | undefined {
  if (groups.administratorsGroupId && who.groupIds.includes(groups.administratorsGroupId))
    return "governanceAdministrator";
  if (groups.auditorsGroupId && who.groupIds.includes(groups.auditorsGroupId)) return "auditor";
  return undefined;
}

/** The role by which a person may read a catalog's audit trail, if any. */
export function auditRoleIn(
  who: Administrator,
  catalog: Catalog | undefined,
  groups: AuditGroups,
): AuditReader | undefined {
  const tenant = tenantAuditRole(who, groups);
  if (tenant) return tenant;
  const role = roleIn(who, catalog);
  return role && CATALOG_AUDIT_ROLES.includes(role) ? (role as AuditReader) : undefined;
}

/**
 * Whose entries a person may read about someone: everything (auditors, administrators), the entries
 * of the catalogs they own or read, or none (refused, naming the roles that would do).
 */
export function personAuditScope(
  who: Administrator,
  catalogs: readonly Catalog[],
  groups: AuditGroups,
): Result<{ role: AuditReader; catalogIds?: string[] }, DomainError> {
  const tenant = tenantAuditRole(who, groups);
  if (tenant) return ok({ role: tenant });
  const readable = catalogs.filter((c) => auditRoleIn(who, c, groups) !== undefined);
  if (readable.length === 0) return err(auditRefusal("someone's audit trail"));
  const owner = readable.some((c) => c.owners.includes(who.userId));
  return ok({ role: owner ? "catalogOwner" : "catalogReader", catalogIds: readable.map((c) => c.id) });
}

/** A package's audit trail: the catalog's owners and readers, auditors and administrators. */
export function packageAuditRole(
  who: Administrator,
  catalog: Catalog | undefined,
  packageName: string,
  groups: AuditGroups,
): Result<{ role: AuditReader }, DomainError> {
  const role = auditRoleIn(who, catalog, groups);
  if (role) return ok({ role });
  const where = catalog ? ` of the ${catalog.name} catalog` : "";
  return err(auditRefusal(`the audit trail of ${packageName}`, where));
}

function auditRefusal(what: string, where = ""): DomainError {
  return domainError(
    "ADMIN.ROLE_NEEDED",
    `To read ${what} you need to be a ${ROLE_NAMES.catalogOwner} or ${ROLE_NAMES.catalogReader}${where}, ` +
      `an auditor or a ${ROLE_NAMES.governanceAdministrator}.`,
    { details: { roleNeeded: "catalogReader" } },
  );
}
