import { domainError, type DomainError } from "../errors";
import type { GovernanceIndex } from "../governance-index";
import type { UserId } from "../model";

/** The owners of the catalog a package belongs to: told when its access goes wrong, and who may fix it. */
export const catalogOwnersOf = (index: GovernanceIndex, packageId: string): UserId[] =>
  index.catalogOfPackage(packageId)?.owners ?? [];

/**
 * Only an owner of the package's catalog may act on its assignments' failures (Retry a removal,
 * Reprocess a delivery). Fails closed: a package without a catalog has no owner.
 */
export function catalogOwnerRefusal(
  index: GovernanceIndex,
  packageId: string,
  userId: UserId,
  what: string,
): DomainError | undefined {
  if (catalogOwnersOf(index, packageId).includes(userId)) return undefined;
  return domainError("ASSIGNMENT.NOT_CATALOG_OWNER", `Only an owner of the package's catalog can ${what}.`);
}
