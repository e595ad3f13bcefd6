import type { GovernanceIndex } from "../governance-index";
import type { AccessPackage, AssignmentPolicy, DirectoryUser, GroupId, RequestorScope } from "../model";
import { domainError } from "../errors";
import { err, ok, type Result } from "../result";

/** Who is asking: the directory record and transitive group ids of a person. */
export interface Person {
  user: DirectoryUser;
  groupIds: GroupId[];
}

/** Whether the scope of a policy covers the person (catalog visibility is checked separately). */
export function scopeIncludes(scope: RequestorScope, person: Person, index: GovernanceIndex): boolean {
  const { user, groupIds } = person;
  switch (scope.kind) {
    case "none":
      return false;
    case "specific":
      return scope.userIds.includes(user.id) || scope.groupIds.some((g) => groupIds.includes(g));
    case "allMembers":
      return user.userType === "Member";
    case "allUsers":
      return true;
    case "connectedOrganizations": {
      if (user.userType !== "Guest" || !user.connectedOrganizationId) return false;
      const org = index.connectedOrganization(user.connectedOrganizationId);
      // Only configured organisations may request: a "proposed" one is not trusted yet.
      if (!org || org.state !== "configured") return false;
      return scope.organizationIds === "all" || scope.organizationIds.includes(org.id);
    }
  }
}

/** The package if its catalog is enabled and visible to the person (guests see external catalogs only). */
export function visiblePackage(
  index: GovernanceIndex,
  packageId: string,
  person: Person,
): Result<AccessPackage> {
  const pkg = index.package(packageId);
  if (!pkg) return err(domainError("PACKAGE.NOT_FOUND", `There is no access package "${packageId}".`));
  const catalog = index.catalog(pkg.catalogId);
  if (!catalog || !catalog.enabled) {
    return err(domainError("PACKAGE.CATALOG_DISABLED", `"${pkg.name}" can't be requested right now.`));
  }
  if (person.user.userType === "Guest" && !catalog.externallyVisible) {
    return err(domainError("PACKAGE.NOT_FOUND", `There is no access package "${packageId}".`));
  }
  return ok(pkg);
}

/**
 * Policies of the package under which `target` may get access when `requester` asks.
 * Self requests need self-service; a manager may ask for a direct report when the policy allows it.
 */
export function requestablePolicies(
  index: GovernanceIndex,
  packageId: string,
  requester: Person,
  target: Person = requester,
): Result<AssignmentPolicy[]> {
  const pkg = visiblePackage(index, packageId, target);
  if (!pkg.ok) return pkg;
  if (!target.user.accountEnabled) {
    return err(domainError("POLICY.NOT_ELIGIBLE", "The account is disabled, so it can't get new access."));
  }
  const inScope = index
    .policiesOfPackage(packageId)
    .filter((p) => scopeIncludes(p.requestors, target, index));
  if (inScope.length === 0) {
    return err(
      domainError(
        "POLICY.NOT_ELIGIBLE",
        `No policy of "${pkg.value.name}" lets ${target.user.displayName} request it.`,
      ),
    );
  }
  const onBehalf = requester.user.id !== target.user.id;
  if (onBehalf) {
    if (target.user.managerId !== requester.user.id) {
      return err(
        domainError(
          "POLICY.ON_BEHALF_NOT_ALLOWED",
          `Only ${target.user.displayName}'s manager can ask on their behalf.`,
        ),
      );
    }
    const allowed = inScope.filter((p) => p.request.onBehalfOfByManagers);
    if (allowed.length === 0) {
      return err(
        domainError(
          "POLICY.ON_BEHALF_NOT_ALLOWED",
          `"${pkg.value.name}" can't be requested on behalf of someone else.`,
        ),
      );
    }
    return ok(allowed);
  }
  const selfService = inScope.filter((p) => p.request.selfService);
  if (selfService.length === 0) {
    return err(
      domainError(
        "POLICY.SELF_SERVICE_OFF",
        `"${pkg.value.name}" is assigned by administrators; it can't be requested.`,
      ),
    );
  }
  return ok(selfService);
}

/** The one policy a request uses: the named one if it applies, else the first that applies. */
export function choosePolicy(
  index: GovernanceIndex,
  packageId: string,
  requester: Person,
  target: Person,
  policyId?: string,
): Result<AssignmentPolicy> {
  const policies = requestablePolicies(index, packageId, requester, target);
  if (!policies.ok) return policies;
  if (policyId === undefined) return ok(policies.value[0]!);
  const chosen = policies.value.find((p) => p.id === policyId);
  if (chosen) return ok(chosen);
  const exists = index.policy(policyId)?.packageId === packageId;
  return err(
    exists
      ? domainError("POLICY.NOT_ELIGIBLE", "That policy doesn't apply to this request; pick another one.")
      : domainError("POLICY.NOT_FOUND", `The package has no policy "${policyId}".`),
  );
}
