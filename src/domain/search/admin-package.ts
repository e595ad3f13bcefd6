import { matchPackages, type PackageCandidate, type PackageMatch } from "./match-packages";

/** The package an administrator names: its id exactly, else by words (typos tolerated). */
export type AdminPackageMatch =
  | { kind: "one"; match: PackageMatch }
  | { kind: "several"; matches: PackageMatch[] }
  | { kind: "none" };

/**
 * Unlike a requester's search, hidden packages are found too: administrators reach every package of
 * the catalogs they administer (whether they may is decided by the role rule afterwards).
 */
export function findAdminPackage(query: string, candidates: readonly PackageCandidate[]): AdminPackageMatch {
  const q = query.trim().toLowerCase();
  const byId = candidates.find((c) => c.package.id.toLowerCase() === q);
  if (byId) return { kind: "one", match: { package: byId.package, score: 100, reason: "id" } };
  const visible = candidates.map((c) => ({ ...c, package: { ...c.package, hidden: false } }));
  const matches = matchPackages(query, visible).map((m) => ({
    ...m,
    package: candidates.find((c) => c.package.id === m.package.id)!.package,
  }));
  if (matches.length === 0) return { kind: "none" };
  const exact = matches.filter((m) => m.package.name.toLowerCase() === q);
  if (exact.length === 1) return { kind: "one", match: exact[0]! };
  if (matches.length === 1 || matches[0]!.score > matches[1]!.score + 10)
    return { kind: "one", match: matches[0]! };
  return { kind: "several", matches: matches.slice(0, 5) };
}
