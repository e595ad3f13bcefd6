import type { AppDeps } from "../deps";
import type { ApproverSpec, AssignmentPolicy, DirectoryUser, UserId } from "../../domain/model";
import type { GovernanceIndex } from "../../domain/governance-index";
import type { ResolvedApprovers } from "../../domain/request/stages";
import { sponsorsOf } from "../external/sponsors";
import { extensionActor } from "../../domain/extensions/model";

/** Turns approver specs into people, for the target user. A disabled manager counts as no manager. */
export async function resolveApproverSpecs(
  deps: AppDeps,
  index: GovernanceIndex,
  specs: ApproverSpec[],
  target: DirectoryUser,
): Promise<UserId[]> {
  const ids: UserId[] = [];
  for (const spec of specs) {
    switch (spec.kind) {
      case "manager": {
        const manager = await deps.directory.getManager(target.id, spec.level);
        if (manager && manager.accountEnabled) ids.push(manager.id);
        break;
      }
      case "users":
        ids.push(...spec.userIds);
        break;
      case "groupMembers":
        ids.push(...(await deps.directory.getGroupMemberIds(spec.groupId)));
        break;
      case "sponsors":
        // Entra's own sponsors of the user and the connected organisation's (found by domain).
        ids.push(...(await sponsorsOf(deps, index, target, spec.which)));
        break;
    }
  }
  return [...new Set(ids)];
}

/** Everyone a stage's specs name, resolved now: approvers are fixed when the stage begins. */
export async function resolveStageApprovers(
  deps: AppDeps,
  index: GovernanceIndex,
  policy: AssignmentPolicy,
  stageIndex: number,
  targetUserId: UserId,
): Promise<ResolvedApprovers> {
  const spec = policy.approval.stages[stageIndex];
  const target = await deps.directory.getUser(targetUserId);
  if (!spec || !target) return { primary: [], fallback: [], escalation: [] };
  const [primary, fallback, escalation] = await Promise.all([
    resolveApproverSpecs(deps, index, spec.primaryApprovers, target),
    resolveApproverSpecs(deps, index, spec.fallbackApprovers, target),
    resolveApproverSpecs(deps, index, spec.escalation?.approvers ?? [], target),
  ]);
  // An approval extension is one more primary approver; it decides through its callback URL.
  if (spec.extensionApprover) primary.push(extensionActor(spec.extensionApprover));
  return { primary, fallback, escalation };
}
