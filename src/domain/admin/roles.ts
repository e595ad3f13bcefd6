import { domainError, type DomainError } from "../errors";
import type { Catalog, GroupId, UserId } from "../model";
import { err, ok, type Result } from "../result";

/**
 * Administrative roles, as in Microsoft Entra entitlement management: per catalog an owner, readers,
 * access package managers and access package assignment managers; across every catalog the
 * governance administrators (members of a configured group).
 */
export type AdminRole =
  | "governanceAdministrator"
  | "catalogOwner"
  | "accessPackageManager"
  | "accessPackageAssignmentManager"
  | "catalogReader";

/** What an administrator does to a catalog's packages. */
export type AdminVerb =
  /** who has a package, its open requests */
  | "viewAssignments"
  /** assign a package directly, remove someone's assignment */
  | "manageAssignments"
  /** hand out a package's request link (how a hidden package is reached) */
  | "sharePackage";

/** Strongest first: a role may do everything the roles after it may. */
const RANK: AdminRole[] = [
  "governanceAdministrator",
  "catalogOwner",
  "accessPackageManager",
  "accessPackageAssignmentManager",
  "catalogReader",
];

/** The weakest role that may do each verb (Entra: readers view; assignment managers manage assignments). */
export const ROLE_NEEDED: Record<AdminVerb, AdminRole> = {
  viewAssignments: "catalogReader",
  manageAssignments: "accessPackageAssignmentManager",
  sharePackage: "accessPackageManager",
};

export const ROLE_NAMES: Record<AdminRole, string> = {
  governanceAdministrator: "governance administrator",
  catalogOwner: "catalog owner",
  accessPackageManager: "access package manager",
  accessPackageAssignmentManager: "access package assignment manager",
  catalogReader: "catalog reader",
};

const VERB_TEXT: Record<AdminVerb, string> = {
  viewAssignments: "see the assignments and requests of",
  manageAssignments: "assign or remove",
  sharePackage: "get the request link of",
};

export interface Administrator {
  userId: UserId;
  /** The person's groups (transitive); only the governance administrators group is looked for. */
  groupIds: readonly GroupId[];
}

/** The strongest role a person holds for a catalog, if any. */
export function roleIn(
  who: Administrator,
  catalog: Catalog | undefined,
  administratorsGroupId?: GroupId,
): AdminRole | undefined {
  if (administratorsGroupId && who.groupIds.includes(administratorsGroupId)) return "governanceAdministrator";
  if (!catalog) return undefined;
  if (catalog.owners.includes(who.userId)) return "catalogOwner";
  if (catalog.accessPackageManagers?.includes(who.userId)) return "accessPackageManager";
  if (catalog.accessPackageAssignmentManagers?.includes(who.userId)) return "accessPackageAssignmentManager";
  if (catalog.readers?.includes(who.userId)) return "catalogReader";
  return undefined;
}

/** Whether a role is strong enough for a verb. */
export function roleAllows(role: AdminRole | undefined, verb: AdminVerb): boolean {
  return role !== undefined && RANK.indexOf(role) <= RANK.indexOf(ROLE_NEEDED[verb]);
}

/**
 * Whether a person may do an admin verb on a catalog's package; a refusal names the role needed.
 * Fails closed: a package without a catalog is administered by governance administrators only.
 */
export function mayAdminister(
  who: Administrator,
  catalog: Catalog | undefined,
  verb: AdminVerb,
  packageName: string,
  administratorsGroupId?: GroupId,
): Result<{ role: AdminRole }, DomainError> {
  const role = roleIn(who, catalog, administratorsGroupId);
  const needed = ROLE_NEEDED[verb];
  if (role && roleAllows(role, verb)) return ok({ role });
  const where = catalog ? ` of the ${catalog.name} catalog` : "";
  return err(
    domainError(
      "ADMIN.ROLE_NEEDED",
      `To ${VERB_TEXT[verb]} ${packageName} you need to be ${article(ROLE_NAMES[needed])}${where} ` +
        `(or hold a stronger role: ${strongerThan(needed)}).`,
      { details: { roleNeeded: needed } },
    ),
  );
}

function strongerThan(role: AdminRole): string {
  return RANK.slice(0, RANK.indexOf(role))
    .reverse()
    .map((r) => ROLE_NAMES[r])
    .join(", ");
}

const article = (name: string) => (/^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`);
