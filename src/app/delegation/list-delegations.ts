import { tenantAuditRole } from "../../domain/admin/audit-access";
import { isInForce } from "../../domain/delegation/delegation";
import { domainError, type DomainError } from "../../domain/errors";
import type { UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import type { DelegationsModel } from "../../ports/admin-read-models";
import type { AppDeps } from "../deps";
import { loadViewContext } from "../queries/view-context";
import { loadIndex, nowIso } from "../shared/context";
import { auditRow } from "../shared/effects";

/**
 * `delegations`: every delegation in force, for catalog owners, auditors and governance
 * administrators (who answers for approvals while someone is away). Viewing and refusals are audited.
 */
export async function listDelegations(
  deps: AppDeps,
  query: { actorId: UserId; source: string },
): Promise<Result<DelegationsModel, DomainError>> {
  const index = await loadIndex(deps);
  const groupIds =
    deps.governanceAdministratorsGroupId || deps.auditorsGroupId
      ? await deps.directory.getUserGroupIds(query.actorId)
      : [];
  const tenant = tenantAuditRole(
    { userId: query.actorId, groupIds },
    { administratorsGroupId: deps.governanceAdministratorsGroupId, auditorsGroupId: deps.auditorsGroupId },
  );
  const role =
    tenant ??
    (index.config.catalogs.some((c) => c.owners.includes(query.actorId)) ? "catalogOwner" : undefined);
  const base = { actor: query.actorId, subject: "delegations", source: query.source };
  if (!role) {
    const error = domainError(
      "ADMIN.ROLE_NEEDED",
      "To list approval delegations you need to be a catalog owner, an auditor or a governance administrator.",
      { details: { roleNeeded: "catalogOwner" } },
    );
    await deps.audit.append([
      auditRow(deps, {
        ...base,
        action: "admin.refused",
        reason: error.message,
        details: { code: error.code, verb: "listDelegations", roleNeeded: "catalogOwner" },
      }),
    ]);
    return err(error);
  }
  const now = nowIso(deps);
  const delegations = ((await deps.delegations?.list()) ?? []).filter((d) => isInForce(d, now));
  await deps.audit.append([
    auditRow(deps, { ...base, action: "admin.viewed", details: { what: "delegations", role } }),
  ]);
  const ctx = await loadViewContext(
    deps,
    delegations.flatMap((d) => [d.approverId, d.delegateId]),
  );
  return ok({ ctx, delegations });
}
