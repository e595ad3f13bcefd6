import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { GovernanceConfig } from "../domain/model";
import { parseRule } from "../domain/rules";
import { crossCheck } from "./cross-check";
import { compileSchema, parseYaml, validateShape, type ParsedFile, type SourceFile } from "./files";
import type { CrossCheckOptions, GovernanceSources, Located } from "./located";
import {
  toCatalog,
  toConnectedOrganization,
  toPackage,
  toPolicy,
  type RawCatalog,
  type RawConnectedOrganization,
  type RawPackage,
} from "./mapping";
import type { ConfigProblem } from "./problems";
import { checkDirectoryReferences } from "./references";
import { checkAgainstTenant } from "./tenant-check";
import { catalogsFileSchema, connectedOrganizationsFileSchema, packageFileSchema } from "./schema";

/** The governance files: `catalogs.yaml`, optional `connected-organizations.yaml`, one file per package. */
export interface GovernanceFiles {
  catalogs: SourceFile;
  connectedOrganizations?: SourceFile;
  packages: SourceFile[];
}

export type GovernanceLoadResult =
  | { ok: true; config: GovernanceConfig; warnings?: ConfigProblem[] }
  | { ok: false; problems: ConfigProblem[] };

const validators = {
  catalogs: compileSchema(catalogsFileSchema),
  connectedOrganizations: compileSchema(connectedOrganizationsFileSchema),
  package: compileSchema(packageFileSchema),
};

/** Reads `<dir>/catalogs.yaml`, `<dir>/connected-organizations.yaml` and `<dir>/packages/*.yaml`. */
export async function readGovernanceFiles(dir: string): Promise<GovernanceFiles | ConfigProblem[]> {
  const name = (...parts: string[]) =>
    path
      .join(dir, ...parts)
      .split(path.sep)
      .join("/");
  const read = async (...parts: string[]) => ({
    name: name(...parts),
    text: await fs.readFile(path.join(dir, ...parts), "utf8"),
  });
  let catalogs: SourceFile;
  try {
    catalogs = await read("catalogs.yaml");
  } catch {
    return [
      {
        file: name("catalogs.yaml"),
        path: "",
        message: "is missing",
        hint: `create it, or point --dir at the governance folder (now "${dir}")`,
      },
    ];
  }
  const connectedOrganizations = await read("connected-organizations.yaml").catch(() => undefined);
  const entries = await fs.readdir(path.join(dir, "packages")).catch(() => [] as string[]);
  const packageNames = entries.filter((f) => /\.ya?ml$/.test(f)).sort();
  const packages = await Promise.all(packageNames.map((f) => read("packages", f)));
  return { catalogs, packages, ...(connectedOrganizations ? { connectedOrganizations } : {}) };
}

/** Reads and validates a governance folder. Nothing is written anywhere. */
export async function loadGovernance(
  dir: string,
  options: CrossCheckOptions = {},
): Promise<GovernanceLoadResult> {
  const files = await readGovernanceFiles(dir);
  if (Array.isArray(files)) return { ok: false, problems: files };
  return parseGovernance(files, options);
}

/** Parses, shape-checks, maps (with defaults) and cross-checks; every problem is reported at once. */
export async function parseGovernance(
  files: GovernanceFiles,
  options: CrossCheckOptions = {},
): Promise<GovernanceLoadResult> {
  const problems: ConfigProblem[] = [];
  const parse = (
    f: SourceFile,
    validate: ReturnType<typeof compileSchema>,
    normalize?: (d: unknown) => void,
  ) => {
    const { file, problems: yamlProblems } = parseYaml(f);
    problems.push(...yamlProblems);
    if (!file) return undefined;
    normalize?.(file.data);
    const shape = validateShape(file, validate);
    problems.push(...shape);
    return shape.length === 0 ? file : undefined;
  };
  const catalogsFile = parse(files.catalogs, validators.catalogs);
  const orgsFile =
    files.connectedOrganizations && parse(files.connectedOrganizations, validators.connectedOrganizations);
  const packageFiles = files.packages.map((f) => parse(f, validators.package, expandShorthands));
  if (problems.length > 0) return { ok: false, problems };

  const src: GovernanceSources = { catalogs: [], packages: [], policies: [], connectedOrganizations: [] };
  const at = <T>(value: T, file: ParsedFile, p: (string | number)[]): Located<T> => ({
    value,
    file,
    path: p,
  });
  if (catalogsFile) {
    (catalogsFile.data as { catalogs: RawCatalog[] }).catalogs.forEach((c, i) =>
      src.catalogs.push(at(toCatalog(c), catalogsFile, ["catalogs", i])),
    );
  }
  if (orgsFile) {
    (orgsFile.data as { connectedOrganizations: RawConnectedOrganization[] }).connectedOrganizations.forEach(
      (o, i) =>
        src.connectedOrganizations.push(
          at(toConnectedOrganization(o), orgsFile, ["connectedOrganizations", i]),
        ),
    );
  }
  for (const file of packageFiles) {
    if (!file) continue;
    const raw = file.data as RawPackage;
    // The file name is the package id unless the file says otherwise.
    const id = raw.id ?? path.basename(file.name).replace(/\.ya?ml$/, "");
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
      problems.push({
        file: file.name,
        path: "id",
        message: `"${id}" (from the file name) is not a valid id`,
        hint: "add an id like business-analyst, or rename the file",
      });
      continue;
    }
    src.packages.push(at(toPackage(raw, id), file, []));
    raw.policies.forEach((p, i) => {
      if (!p.requestors && !p.autoAssignment) {
        const pos = file.locate(["policies", i]);
        problems.push({
          file: file.name,
          path: `policies[${i}].requestors`,
          message: "is required",
          hint: "say who may request: allMembers, allUsers, none, specific or connectedOrganizations",
          ...(pos ?? {}),
        });
      }
      src.policies.push(at(toPolicy(p, id), file, ["policies", i]));
    });
  }
  problems.push(...crossCheck(src, { checkRule: checkRuleSyntax, ...options }));
  if (options.directory) problems.push(...(await checkDirectoryReferences(src, options.directory)));
  const tenant =
    options.tenant && problems.length === 0 ? await checkAgainstTenant(src, options.tenant) : undefined;
  problems.push(...(tenant?.errors ?? []));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    ...(tenant && tenant.warnings.length > 0 ? { warnings: tenant.warnings } : {}),
    config: {
      catalogs: src.catalogs.map((c) => c.value),
      packages: src.packages.map((p) => p.value),
      policies: src.policies.map((p) => p.value),
      connectedOrganizations: src.connectedOrganizations.map((o) => o.value),
    },
  };
}

/** `requestors: allMembers` and `expiry: never` are shorthands for `{ kind: ... }`. */
function expandShorthands(data: unknown): void {
  const policies = (data as { policies?: unknown })?.policies;
  if (!Array.isArray(policies)) return;
  for (const p of policies) {
    if (!p || typeof p !== "object") continue;
    const pol = p as { requestors?: unknown; lifecycle?: { expiry?: unknown } };
    if (typeof pol.requestors === "string") pol.requestors = { kind: pol.requestors };
    if (pol.lifecycle && typeof pol.lifecycle === "object" && typeof pol.lifecycle.expiry === "string") {
      pol.lifecycle.expiry = { kind: pol.lifecycle.expiry };
    }
  }
}

/** Auto-assignment rules must parse in the rule language (Entra dynamic-group syntax). */
function checkRuleSyntax(rule: string): string | undefined {
  const parsed = parseRule(rule);
  return parsed.ok ? undefined : parsed.error.message;
}
