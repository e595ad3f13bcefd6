import type { AppDeps } from "./deps";
import type { GovernanceIndex } from "../domain/governance-index";
import type { AccessPackage, AssignmentPolicy, Catalog, UserId } from "../domain/model";
import type { Person } from "../domain/policy/eligibility";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { requestablePolicies } from "../domain/policy/eligibility";
import { loadIndex, loadPerson } from "./shared/context";
import { separationOfDuties } from "./shared/sod";

export interface RequestablePackage {
  package: AccessPackage;
  catalog: Catalog;
  /** The policies under which the user may request it. */
  policies: AssignmentPolicy[];
}

const unknownUser = () =>
  domainError("POLICY.NOT_ELIGIBLE", "You aren't in the directory, so you can't request access.");

/** Packages the user may request for themselves; hidden packages are left out (requested by link). */
export async function listRequestable(deps: AppDeps, userId: UserId): Promise<Result<RequestablePackage[]>> {
  const [index, person] = await Promise.all([loadIndex(deps), loadPerson(deps, userId)]);
  return requestableFor(index, person);
}

/** The same, for a configuration and person already loaded. */
export function requestableFor(
  index: GovernanceIndex,
  person: Person | undefined,
): Result<RequestablePackage[]> {
  if (!person) return err(unknownUser());
  return ok(
    index.packages().flatMap((pkg) => {
      if (pkg.hidden) return [];
      const policies = requestablePolicies(index, pkg.id, person);
      return policies.ok
        ? [{ package: pkg, catalog: index.catalog(pkg.catalogId)!, policies: policies.value }]
        : [];
    }),
  );
}

/** One package and the policies the user may request it under (hidden packages included). */
export async function describePackage(
  deps: AppDeps,
  packageId: string,
  userId: UserId,
): Promise<Result<RequestablePackage>> {
  const [index, person] = await Promise.all([loadIndex(deps), loadPerson(deps, userId)]);
  return describeFor(deps, index, person, packageId);
}

/** The same, for a configuration and person already loaded; separation of duties is read here. */
export async function describeFor(
  deps: AppDeps,
  index: GovernanceIndex,
  person: Person | undefined,
  packageId: string,
): Promise<Result<RequestablePackage>> {
  if (!person) return err(unknownUser());
  const userId = person.user.id;
  const policies = requestablePolicies(index, packageId, person);
  if (!policies.ok) return policies;
  const pkg = index.package(packageId)!;
  // Told before the form, not after it: a conflict blocks the request whatever is typed.
  const [assignments, requests] = await Promise.all([
    deps.assignments.listForUser(userId),
    deps.requests.listForUser(userId),
  ]);
  const sod = await separationOfDuties(deps, index, pkg, person, { assignments, requests });
  if (!sod.ok) return sod;
  return ok({ package: pkg, catalog: index.catalog(pkg.catalogId)!, policies: policies.value });
}
