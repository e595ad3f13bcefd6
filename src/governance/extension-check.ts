import type { AccessPackage, AssignmentPolicy, Catalog } from "../domain/model";
import type { ConfigProblem } from "./problems";
import { problemAt, type CrossCheckOptions, type GovernanceSources, type Located } from "./located";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why an extension URL is refused, or undefined: https, or plain http to loopback when allowed. */
export function extensionUrlProblem(raw: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "carries a user name or password";
  if (url.hash) return "has a #fragment";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && allowLoopbackHttp && LOOPBACK.test(url.hostname)) return undefined;
  return url.protocol === "http:" ? "uses plain http" : `uses ${url.protocol}`;
}

/**
 * Custom extensions: ids unique across catalogs (an approval extension decides as `extension:<id>`),
 * URLs https (plain http only to loopback in local mode and tests), and every extension a policy
 * picks or a stage asks to approve declared by the package's catalog.
 */
export function checkExtensions(src: GovernanceSources, options: CrossCheckOptions): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Map<string, string>();
  for (const cat of src.catalogs) {
    (cat.value.extensions ?? []).forEach((x, i) => {
      const prev = seen.get(x.id);
      if (prev)
        out.push(
          problemAt(
            cat,
            ["extensions", i, "id"],
            `extension id "${x.id}" is already used in catalog "${prev}"`,
            "give each extension its own id",
          ),
        );
      seen.set(x.id, cat.value.id);
      const problem = extensionUrlProblem(x.url, options.allowLoopbackHttp ?? false);
      if (problem)
        out.push(
          problemAt(
            cat,
            ["extensions", i, "url"],
            `the URL ${problem}`,
            options.allowLoopbackHttp
              ? "use https (plain http only to 127.0.0.1 or localhost), without credentials"
              : "use an https URL without credentials (the secret comes from EXTENSION_SECRET_<secretName>)",
          ),
        );
    });
  }
  const catalogs = new Map(src.catalogs.map((c) => [c.value.id, c.value]));
  const packages = new Map(src.packages.map((p) => [p.value.id, p.value]));
  for (const pol of src.policies) out.push(...checkPolicyExtensions(pol, packages, catalogs));
  return out;
}

function checkPolicyExtensions(
  pol: Located<AssignmentPolicy>,
  packages: Map<string, AccessPackage>,
  catalogs: Map<string, Catalog>,
): ConfigProblem[] {
  const catalog = catalogs.get(packages.get(pol.value.packageId)?.catalogId ?? "");
  if (!catalog) return []; // reported by the reference checks
  const declared = new Set((catalog.extensions ?? []).map((x) => x.id));
  const hint = declared.size
    ? `use one of catalog "${catalog.id}"'s extensions: ${[...declared].join(", ")}`
    : `declare it under extensions of catalog "${catalog.id}" in catalogs.yaml`;
  const out: ConfigProblem[] = [];
  (pol.value.extensions ?? []).forEach((id, i) => {
    if (!declared.has(id))
      out.push(
        problemAt(pol, ["extensions", i], `catalog "${catalog.id}" declares no extension "${id}"`, hint),
      );
  });
  pol.value.approval.stages.forEach((stage, s) => {
    const id = stage.extensionApprover;
    if (id !== undefined && !declared.has(id))
      out.push(
        problemAt(
          pol,
          ["approval", "stages", s, "primaryApprovers"],
          `catalog "${catalog.id}" declares no extension "${id}" to approve this stage`,
          hint,
        ),
      );
  });
  return out;
}
