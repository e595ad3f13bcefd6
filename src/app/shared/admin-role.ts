import type { AppDeps } from "../deps";
import { mayAdminister, type AdminRole, type AdminVerb } from "../../domain/admin/roles";
import { domainError } from "../../domain/errors";
import type { GovernanceIndex } from "../../domain/governance-index";
import type { AccessPackage, UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import { auditRow } from "./effects";

export interface AdminAct {
  actorId: UserId;
  packageId: string;
  verb: AdminVerb;
  /** "chat:who-has", "cli:access", ... */
  source: string;
  targetUserId?: UserId;
}

/**
 * Whether the actor holds a role for the package's catalog that allows the verb (the domain rule in
 * `domain/admin/roles.ts`); the actor's groups are read only when a governance administrators group
 * is configured. A refusal is audited (`admin.refused`, with the role needed) and names that role.
 */
export async function authorizeAdmin(
  deps: AppDeps,
  index: GovernanceIndex,
  act: AdminAct,
): Promise<Result<{ role: AdminRole; pkg: AccessPackage }>> {
  const pkg = index.package(act.packageId);
  if (!pkg) return err(domainError("PACKAGE.NOT_FOUND", "There is no such access package."));
  const groupIds = deps.governanceAdministratorsGroupId
    ? await deps.directory.getUserGroupIds(act.actorId)
    : [];
  const allowed = mayAdminister(
    { userId: act.actorId, groupIds },
    index.catalogOfPackage(pkg.id),
    act.verb,
    pkg.name,
    deps.governanceAdministratorsGroupId,
  );
  if (allowed.ok) return ok({ role: allowed.value.role, pkg });
  await deps.audit.append([
    auditRow(deps, {
      actor: act.actorId,
      action: "admin.refused",
      subject: `package:${pkg.id}`,
      packageId: pkg.id,
      source: act.source,
      reason: allowed.error.message,
      details: { code: allowed.error.code, verb: act.verb, ...allowed.error.details },
      ...(act.targetUserId ? { targetUserId: act.targetUserId } : {}),
    }),
  ]);
  return allowed;
}
