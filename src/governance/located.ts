import type { AccessPackage, AssignmentPolicy, Catalog, ConnectedOrganization } from "../domain/model";
import type { Directory } from "../ports/directory";
import type { TenantObjects } from "../ports/tenant-objects";
import type { ParsedFile } from "./files";
import type { ConfigProblem } from "./problems";
import { pointerToPath } from "./problems";

/** A declared entity and where it was declared. */
export interface Located<T> {
  value: T;
  file: ParsedFile;
  path: (string | number)[];
}

export interface GovernanceSources {
  catalogs: Located<Catalog>[];
  packages: Located<AccessPackage>[];
  policies: Located<AssignmentPolicy>[];
  connectedOrganizations: Located<ConnectedOrganization>[];
}

export interface CrossCheckOptions {
  /** When given, every user and group id must exist in it. */
  directory?: Directory;
  /** When given, every app role must exist (the local organisation knows its service principals). */
  appRoleExists?: (servicePrincipalId: string, appRoleId: string) => boolean;
  /**
   * When given (Graph mode), every user, group, service principal, app role and sponsor is checked
   * in the tenant, with grant targets and approvers judged (src/governance/tenant-check.ts).
   */
  tenant?: TenantObjects;
  /** Auto-assignment rule syntax lives with the rule language; it reports a message or nothing. */
  checkRule?: (rule: string) => string | undefined;
  /** Custom extensions may call plain http on loopback (local mode and tests); otherwise https only. */
  allowLoopbackHttp?: boolean;
}

export function problemAt(
  loc: Located<unknown>,
  sub: (string | number)[],
  message: string,
  hint?: string,
): ConfigProblem {
  const segs = [...loc.path, ...sub];
  const pos = loc.file.locate(segs);
  return {
    file: loc.file.name,
    path: pointerToPath(segs),
    message,
    ...(hint ? { hint } : {}),
    ...(pos ?? {}),
  };
}
