import { domainError, type DomainError } from "../../domain/errors";
import type { AccessPackage, AssignmentPolicy, DirectoryUser } from "../../domain/model";
import { requestablePolicies } from "../../domain/policy/eligibility";
import { matchPackages, type PackageCandidate, type PackageMatch } from "../../domain/search";
import type { ViewContext } from "../../ports/read-models";
import type { AppDeps } from "../deps";
import { describeFor, requestableFor, type RequestablePackage } from "../list-requestable";
import { loadPerson } from "../shared/context";
import { withNamedApprovers } from "./view-context";
import type { Viewer } from "./viewer";

/** What the package card shows: the package, the policies the viewer may use, or why not. */
export interface PackageCard {
  ctx: ViewContext;
  pkg: AccessPackage;
  requestable: AssignmentPolicy[];
  blockedReason: string;
}

/** The answer to "I need access to …". */
export type PackageAnswer =
  | { kind: "package"; card: PackageCard }
  | { kind: "choices"; matches: PackageMatch[] }
  | { kind: "none" }
  | { kind: "refused"; error: DomainError };

const candidateOf = (r: RequestablePackage): PackageCandidate => ({
  package: r.package,
  catalogName: r.catalog.name,
  resourceNames: r.package.resourceRoles.map((role) => role.displayName),
});

/** A clear winner: one match, or a first match far ahead of the second. */
const clearWinner = (matches: PackageMatch[]): PackageMatch | undefined =>
  matches.length === 1 || (matches.length > 1 && matches[0]!.score - matches[1]!.score >= 25)
    ? matches[0]
    : undefined;

/** The package card for the viewer themselves. */
export async function packageCard(
  deps: AppDeps,
  viewer: Viewer,
  packageId: string,
): Promise<PackageCard | DomainError> {
  const pkg = viewer.ctx.index.package(packageId);
  if (!pkg) return domainError("PACKAGE.NOT_FOUND", "That access package doesn't exist.");
  const described = await describeFor(deps, viewer.ctx.index, viewer.person, packageId);
  // A package this person may not even see is "not found", not "not for you".
  if (!described.ok && described.error.code === "PACKAGE.NOT_FOUND") return described.error;
  const ctx = await withNamedApprovers(deps, viewer.ctx, described.ok ? described.value.policies : []);
  return {
    ctx,
    pkg,
    requestable: described.ok ? described.value.policies : [],
    blockedReason: described.ok ? "" : described.error.message,
  };
}

/** The package card when a manager asks for a direct report: the policies that allow it. */
export async function packageCardForReport(
  deps: AppDeps,
  viewer: Viewer,
  packageId: string,
  report: DirectoryUser,
): Promise<PackageCard | DomainError> {
  const { person } = viewer;
  const pkg = viewer.ctx.index.package(packageId);
  if (!pkg) return domainError("PACKAGE.NOT_FOUND", "That access package doesn't exist.");
  const target = await loadPerson(deps, report.id);
  if (!person || !target)
    return domainError("POLICY.NOT_ELIGIBLE", "I don't know who you are in the directory.");
  const policies = requestablePolicies(viewer.ctx.index, packageId, person, target);
  const ctx = await withNamedApprovers(deps, viewer.ctx, policies.ok ? policies.value : []);
  return {
    ctx,
    pkg,
    requestable: policies.ok ? policies.value : [],
    blockedReason: policies.ok ? "" : policies.error.message,
  };
}

/**
 * Packages matching the words among those the viewer may request: a clear winner is its card,
 * several a short list. With `orAnyPackage`, words that name a package the viewer may not request
 * show its card too, so they are told why instead of "nothing matches".
 */
export async function findPackage(
  deps: AppDeps,
  viewer: Viewer,
  query: string,
  options: { orAnyPackage: boolean },
): Promise<PackageAnswer> {
  const { index } = viewer.ctx;
  // A package's id (what its link types) reaches it even when hidden; words never show a hidden one.
  const id = query.trim().toLowerCase();
  const byId = index.packages().find((p) => p.id.toLowerCase() === id);
  if (byId) return packageAnswer(await packageCard(deps, viewer, byId.id));
  const listed = requestableFor(index, viewer.person);
  if (!listed.ok) return { kind: "refused", error: listed.error };
  const matches = matchPackages(query, listed.value.map(candidateOf));
  const winner = clearWinner(matches);
  if (winner) return packageAnswer(await packageCard(deps, viewer, winner.package.id));
  if (matches.length > 1) return { kind: "choices", matches };
  if (!options.orAnyPackage) return { kind: "none" };
  const all = index.packages().filter((p) => !p.hidden);
  const other = matchPackages(
    query,
    all.map((p) => ({ package: p, catalogName: index.catalog(p.catalogId)?.name ?? "", resourceNames: [] })),
  )[0];
  return other ? packageAnswer(await packageCard(deps, viewer, other.package.id)) : { kind: "none" };
}

const packageAnswer = (card: PackageCard | DomainError): PackageAnswer =>
  "code" in card ? { kind: "refused", error: card } : { kind: "package", card };
