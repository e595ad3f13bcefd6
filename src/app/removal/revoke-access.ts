import type { AppDeps } from "../deps";
import type { Assignment } from "../../domain/model";
import { domainError } from "../../domain/errors";
import { recordRemovalAttempt, removalDue } from "../../domain/assignment/removal";
import { revocationPlan } from "../../domain/assignment/revocation";
import { loadIndex, nowIso } from "../shared/context";
import { type ActionContext, applyEffects, type JournaledStep, scheduleFirst } from "../shared/effects";
import { mutate } from "../shared/mutate";

export interface RevokeOptions {
  /** A retry, a safety net or an owner's Retry, not the attempt right after the assignment ended. */
  later?: boolean;
}

/**
 * Takes away what an ended (removed or expired) assignment granted, never a role the user held
 * before it or one another active assignment still grants. A failed revoke stays "granted" with its
 * error; the removal retries with backoff (a `removalRetry` deadline) and, once its budget is
 * spent, is "removal failed" for the catalog owners. Not due (backoff, budget spent): nothing runs.
 * Callers that just ended the assignment apply that step's effects after this returns, so its
 * notices see whether the access is really gone ("removed") or not yet.
 */
export async function revokeAccess(
  deps: AppDeps,
  ended: Assignment,
  source: string,
  options: RevokeOptions = {},
): Promise<Assignment> {
  const now = nowIso(deps);
  if (!removalDue(ended, now)) return ended;
  const index = await loadIndex(deps);
  const others = await deps.assignments.listForUser(ended.userId);
  const plan = revocationPlan(ended, others, index.packageMap());
  const outcomes =
    plan.length === 0
      ? []
      : await deps.provisioner.apply(
          plan.map((p) => ({ action: "revoke" as const, userId: ended.userId, role: p.role })),
        );
  const result = await mutate(
    deps.assignments,
    ended.id,
    domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${ended.id}".`),
    (current) => recordRemovalAttempt(current, plan, outcomes, { now, later: options.later ?? false }),
    undefined,
    // One row per role taken away, journaled with the step (a failed revoke stays granted and is
    // retried, so it has none).
    (s) =>
      scheduleFirst(
        deps,
        s,
        plan.flatMap((p, k) =>
          outcomes[k]?.status === "failed"
            ? []
            : [
                {
                  actor: "system" as const,
                  action: "resource.revoked" as const,
                  subject: `assignment:${ended.id}`,
                  source,
                  targetUserId: ended.userId,
                  packageId: ended.packageId,
                  reason: p.role.displayName,
                },
              ],
        ),
      ),
  );
  if (!result.ok) return ended;
  const { step } = result.value;
  if (!step.changed) return step.next;
  const ctx: ActionContext = {
    actor: "system",
    source,
    targetUserId: ended.userId,
    packageId: ended.packageId,
  };
  await applyEffects(deps, step, ctx, () => (step as JournaledStep<typeof step>).batch?.rows ?? []);
  return step.next;
}
