import type { ConfigProblem } from "./problems";
import { problemAt, type CrossCheckOptions, type GovernanceSources, type Located } from "./located";
import { checkPolicy } from "./policy-check";
import { checkExtensions } from "./extension-check";

function duplicates<T extends { id: string }>(items: Located<T>[], what: string): ConfigProblem[] {
  const first = new Map<string, Located<T>>();
  const out: ConfigProblem[] = [];
  for (const it of items) {
    const prev = first.get(it.value.id);
    if (prev) {
      out.push(
        problemAt(
          it,
          ["id"],
          `${what} id "${it.value.id}" is already used in ${prev.file.name}`,
          "give each one its own id",
        ),
      );
    } else first.set(it.value.id, it);
  }
  return out;
}

/** Checks that ids are unique and that every reference points at something declared. */
export function crossCheck(src: GovernanceSources, options: CrossCheckOptions = {}): ConfigProblem[] {
  const out: ConfigProblem[] = [
    ...duplicates(src.catalogs, "Catalog"),
    ...duplicates(src.packages, "Access package"),
    ...duplicates(src.policies, "Policy"),
    ...duplicates(src.connectedOrganizations, "Connected organisation"),
  ];
  const catalogs = new Map(src.catalogs.map((c) => [c.value.id, c.value]));
  const packageIds = new Set(src.packages.map((p) => p.value.id));
  const orgIds = new Set(src.connectedOrganizations.map((o) => o.value.id));
  const names = new Map<string, string>();

  for (const pkg of src.packages) {
    const p = pkg.value;
    if (!catalogs.has(p.catalogId)) {
      out.push(
        problemAt(
          pkg,
          ["catalogId"],
          `no catalog "${p.catalogId}"`,
          `declare it in catalogs.yaml or use one of: ${[...catalogs.keys()].join(", ")}`,
        ),
      );
    }
    const key = p.name.toLowerCase();
    if (names.has(key))
      out.push(
        problemAt(
          pkg,
          ["name"],
          `another package is also named "${p.name}"`,
          "give each package its own name",
        ),
      );
    names.set(key, p.id);
    p.incompatiblePackageIds.forEach((id, i) => {
      if (id === p.id)
        out.push(
          problemAt(
            pkg,
            ["incompatiblePackageIds", i],
            "a package cannot be incompatible with itself",
            "remove it",
          ),
        );
      else if (!packageIds.has(id))
        out.push(
          problemAt(
            pkg,
            ["incompatiblePackageIds", i],
            `no access package "${id}"`,
            "use the id of a declared package",
          ),
        );
    });
    p.resourceRoles.forEach((r, i) => {
      // A site is granted through its Microsoft 365 group: members are site Members, owners Owners.
      // Any other SharePoint role would silently become Member, so it is refused here.
      if (r.kind === "siteRole" && !["member", "owner"].includes(r.roleName.toLowerCase())) {
        out.push(
          problemAt(
            pkg,
            ["resources", i, "roleName"],
            `the SharePoint role "${r.roleName}" cannot be granted: a group-connected site grants Member (group members) or Owner (group owners)`,
            `use roleName Member or Owner, or for ${r.roleName} access grant a group that is in the site's ${r.roleName}s SharePoint group (kind: groupMember)`,
          ),
        );
      }
    });
    if (options.appRoleExists) {
      p.resourceRoles.forEach((r, i) => {
        if (r.kind === "appRole" && !options.appRoleExists!(r.servicePrincipalId, r.appRoleId)) {
          out.push(
            problemAt(
              pkg,
              ["resources", i],
              `no app role ${r.appRoleId} on service principal ${r.servicePrincipalId}`,
              "use an app role of the directory's service principals",
            ),
          );
        }
      });
    }
  }

  const autoPerPackage = new Map<string, number>();
  for (const pol of src.policies) {
    out.push(...checkPolicy(pol, catalogs, packageIds, orgIds, src, options));
    if (pol.value.autoAssignment) {
      const n = (autoPerPackage.get(pol.value.packageId) ?? 0) + 1;
      autoPerPackage.set(pol.value.packageId, n);
      if (n > 1)
        out.push(
          problemAt(
            pol,
            ["autoAssignment"],
            "a package can have only one auto-assignment policy",
            "merge the rules into one policy",
          ),
        );
    }
  }
  out.push(...checkExtensions(src, options));
  return out;
}
