import type { AppDeps } from "../deps";
import type { Assignment, AuditEntry } from "../../domain/model";
import { domainError } from "../../domain/errors";
import { ok, type Result } from "../../domain/result";
import { recordProvisioning, resourcesToGrant, type GrantOutcome } from "../../domain/assignment/delivery";
import { unchanged, type Step } from "../../domain/transition";
import type { Versioned } from "../../ports/versioned";
import { nowIso } from "./context";
import { applyEffects, auditRow, scheduleFirst, type ActionContext } from "./effects";
import { mutate } from "./mutate";

/**
 * Grants what is due now and records each outcome; retries are scheduled by the domain's backoff.
 * The provisioner (Graph calls) runs outside the compare-and-swap, on the version the caller holds:
 * a lost race records those outcomes on the fresh assignment and calls the provisioner again only
 * for resources that fell due there and were not granted yet. Granting twice is harmless.
 */
export async function grantDue(
  deps: AppDeps,
  assignment: Versioned<Assignment>,
  force: boolean,
  source: string,
): Promise<Result<Assignment>> {
  const now = nowIso(deps);
  const outcomes = new Map<number, GrantOutcome>();
  const grant = async (a: Assignment, indexes: number[]) => {
    if (indexes.length === 0) return;
    const results = await deps.provisioner.apply(
      indexes.map((i) => ({ action: "grant" as const, userId: a.userId, role: a.resources[i]!.role })),
    );
    indexes.forEach((i, k) => outcomes.set(i, results[k]!));
  };
  await grant(assignment.value, resourcesToGrant(assignment.value, now, force));
  let known: Versioned<Assignment> | undefined = assignment;
  for (;;) {
    let missing: number[] = [];
    const result = await mutate(
      deps.assignments,
      assignment.value.id,
      domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${assignment.value.id}".`),
      (current) => {
        const due = resourcesToGrant(current, now, force);
        missing = due.filter((i) => !outcomes.has(i));
        if (due.length === 0 || missing.length > 0) return ok(unchanged(current));
        return recordProvisioning(
          current,
          due,
          due.map((i) => outcomes.get(i)!),
          { now },
        );
      },
      known,
      (s) => scheduleFirst(deps, s),
    );
    if (!result.ok) return result;
    if (missing.length === 0) {
      await auditGrants(deps, result.value.before, result.value.step, source);
      return ok(result.value.step.next);
    }
    await grant(result.value.before, missing);
    known = undefined;
  }
}

/** The step's rows and one row per newly granted resource, appended together. */
async function auditGrants(
  deps: AppDeps,
  before: Assignment,
  step: Step<Assignment>,
  source: string,
): Promise<void> {
  const ctx: ActionContext = {
    actor: "system",
    source,
    targetUserId: before.userId,
    packageId: before.packageId,
  };
  const granted = (): AuditEntry[] =>
    step.next.resources.flatMap((r, i) =>
      r.status === "granted" && before.resources[i]?.status !== "granted"
        ? [
            auditRow(deps, {
              actor: "system",
              action: "resource.granted",
              subject: `assignment:${before.id}`,
              source,
              targetUserId: before.userId,
              packageId: before.packageId,
              reason: r.role.displayName,
            }),
          ]
        : [],
    );
  await applyEffects(deps, step, ctx, granted);
}
