import { expireAssignment, removeAssignment } from "../../domain/assignment/lifecycle";
import { recordRevocation, revocationPlan } from "../../domain/assignment/revocation";
import { GovernanceIndex } from "../../domain/governance-index";
import type { Assignment } from "../../domain/model";
import type { AppDeps } from "../deps";
import { applyEffects } from "../shared/effects";
import { nowIso, retryOnConflict } from "./support";

/** Why the scheduler ends an assignment. Expiry ends it as "expired"; the others as "removed". */
export type EndCause = "expiry" | "review" | "autoAssignment";

export interface EndAssignmentCommand {
  assignmentId: string;
  cause: EndCause;
  reason: string;
  source: string;
}

export type EndOutcome = "ended" | "alreadyEnded" | "notDue" | "notFound";

/**
 * Ends an assignment for the scheduler and takes back what it granted, never a role the user
 * held before nor one another active assignment still grants. Idempotent: an ended assignment
 * is left as it is.
 */
export async function endAssignment(deps: AppDeps, cmd: EndAssignmentCommand): Promise<EndOutcome> {
  const index = new GovernanceIndex(await deps.governance.load());
  const ended = await retryOnConflict(async () => {
    const stored = await deps.assignments.get(cmd.assignmentId);
    if (!stored) return { outcome: "notFound" as const };
    const a = stored.value;
    const now = nowIso(deps);
    const policy = index.policy(a.policyId);
    const step =
      cmd.cause === "expiry"
        ? expireAssignment(a, now)
        : policy
          ? removeAssignment(a, { kind: "system" }, { now, policy, reason: cmd.reason })
          : removeWithoutPolicy(a, now, cmd.reason);
    if (!step.ok) return { outcome: "alreadyEnded" as const };
    if (!step.value.changed) return { outcome: cmd.cause === "expiry" ? ("notDue" as const) : ("alreadyEnded" as const) };
    const etag = await deps.assignments.update(step.value.next, stored.etag);
    return { outcome: "ended" as const, assignment: step.value.next, etag, step: step.value };
  });
  if (ended.outcome !== "ended") return ended.outcome;
  const { assignment, step } = ended;
  await revoke(deps, index, assignment, ended.etag);
  await applyEffects(deps, step, {
    actor: "system",
    source: cmd.source,
    targetUserId: assignment.userId,
    packageId: assignment.packageId,
  });
  return "ended";
}

/** A policy deleted from the configuration still lets the system end its assignments. */
function removeWithoutPolicy(a: Assignment, now: string, reason: string) {
  return removeAssignment(
    a,
    { kind: "system" },
    { now, reason, policy: { lifecycle: { selfRemoval: false } } as Parameters<typeof removeAssignment>[2]["policy"] },
  );
}

async function revoke(deps: AppDeps, index: GovernanceIndex, assignment: Assignment, etag: string): Promise<void> {
  const others = await deps.assignments.listForUser(assignment.userId);
  const plan = revocationPlan(assignment, others, index.packageMap());
  if (plan.length === 0) return;
  const outcomes = await deps.provisioner.apply(
    plan.map((p) => ({ action: "revoke" as const, userId: assignment.userId, role: p.role })),
  );
  await deps.assignments.update(recordRevocation(assignment, plan, outcomes, nowIso(deps)), etag);
}
