import type { AppDeps } from "../deps";
import type { Assignment } from "../../domain/model";
import { domainError } from "../../domain/errors";
import { ok, type Result } from "../../domain/result";
import { recordProvisioning, resourcesToGrant, type GrantOutcome } from "../../domain/assignment/delivery";
import { unchanged, type Step } from "../../domain/transition";
import type { ProvisioningOutcome } from "../../ports/provisioner";
import type { Versioned } from "../../ports/versioned";
import { nowIso } from "./context";
import { applyEffects, scheduleFirst, type ActionContext, type JournaledStep } from "./effects";
import type { JournaledRow } from "./journal";
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
    const checked = await verifyGrants(deps, a, indexes, results, now);
    indexes.forEach((i, k) => outcomes.set(i, checked[k]!));
  };
  await grant(assignment.value, resourcesToGrant(assignment.value, now, force));
  let known: Versioned<Assignment> | undefined = assignment;
  for (;;) {
    let missing: number[] = [];
    let base = assignment.value;
    const result = await mutate(
      deps.assignments,
      assignment.value.id,
      domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${assignment.value.id}".`),
      (current) => {
        base = current;
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
      // The rows of the resources granted are journaled with the step, like its events.
      (s) => scheduleFirst(deps, s, grantedRows(base, s.next, source)),
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

/** What the delivery records when a grant the directory accepted is not there when read back. */
export const NOT_FOUND_ON_READ_BACK = "Granted, but not found when read back from the directory";

/**
 * Reads back what was just granted (the seed's "confirm group membership"): found marks the grant
 * verified, in the same save that records it (no extra write); not found turns it into a retryable
 * failure, so the deliveryRetry deadline grants and checks again and, when retries run out, the
 * catalog owners are told. A read that failed concludes nothing: the grant stays unverified.
 */
async function verifyGrants(
  deps: AppDeps,
  a: Assignment,
  indexes: number[],
  results: ProvisioningOutcome[],
  now: string,
): Promise<GrantOutcome[]> {
  const granted = indexes.flatMap((_, k) => (results[k]!.status === "failed" ? [] : [k]));
  if (!deps.provisioner.verify || granted.length === 0) return results;
  let found: Array<boolean | undefined>;
  try {
    found = await deps.provisioner.verify(
      a.userId,
      granted.map((k) => a.resources[indexes[k]!]!.role),
    );
  } catch (error) {
    deps.logger.warn({ err: error, assignmentId: a.id }, "grants not read back; left unverified");
    return results;
  }
  const checked: GrantOutcome[] = [...results];
  granted.forEach((k, n) => {
    const result = results[k]!;
    if (result.status === "failed") return;
    if (found[n] === true) checked[k] = { status: result.status, verifiedAt: now };
    else if (found[n] === false)
      checked[k] = { status: "failed", retryable: true, error: NOT_FOUND_ON_READ_BACK };
  });
  return checked;
}

/** One row per resource `next` grants that `before` did not (the batch gives ids and time). */
function grantedRows(before: Assignment, next: Assignment, source: string): JournaledRow[] {
  return next.resources.flatMap((r, i) =>
    r.status === "granted" && before.resources[i]?.status !== "granted"
      ? [
          {
            actor: "system" as const,
            action: "resource.granted" as const,
            subject: `assignment:${before.id}`,
            source,
            targetUserId: before.userId,
            packageId: before.packageId,
            reason: r.role.displayName,
          },
        ]
      : [],
  );
}

/** The step's rows and the journaled rows of the resources it granted, appended together. */
async function auditGrants(
  deps: AppDeps,
  before: Assignment,
  step: JournaledStep<Step<Assignment>>,
  source: string,
): Promise<void> {
  const ctx: ActionContext = {
    actor: "system",
    source,
    targetUserId: before.userId,
    packageId: before.packageId,
  };
  // Called right after the grant's save: nothing saved the assignment since.
  await applyEffects(deps, step, ctx, () => step.batch?.rows ?? [], { savedLast: true });
}
