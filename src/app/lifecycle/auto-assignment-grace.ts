import { domainError } from "../../domain/errors";
import { clearAutoRemoval, isPendingAutoRemoval, markAutoRemoval } from "../../domain/lifecycle";
import type { Assignment } from "../../domain/model";
import { ok } from "../../domain/result";
import { evaluateRule, parseRule } from "../../domain/rules";
import { readRuleMemberships } from "./rule-memberships";
import type { Versioned } from "../../ports/versioned";
import type { AppDeps } from "../deps";
import type { DueHandler } from "../due-work";
import { nowIso } from "../shared/context";
import { applyEffects, scheduleFirst } from "../shared/effects";
import { mutate } from "../shared/mutate";
import { AUTO_ASSIGNMENT_SOURCE } from "./auto-assignment-add";
import { endAssignment } from "./end-assignment";

/**
 * Starts the grace period of a user who stopped matching (`graceHours`), or calls it off
 * (undefined) when they match again. True when the assignment changed.
 */
export async function markGracePeriod(
  deps: AppDeps,
  assignmentId: string,
  graceHours: number | undefined,
  known?: Versioned<Assignment>,
): Promise<boolean> {
  const result = await mutate(
    deps.assignments,
    assignmentId,
    domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${assignmentId}".`),
    (current) =>
      ok(
        graceHours === undefined
          ? clearAutoRemoval(current, nowIso(deps))
          : markAutoRemoval(current, nowIso(deps), graceHours),
      ),
    known,
    // Deadline first: one without a mark is dropped when it fires; a mark without one would never fire.
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok || !result.value.step.changed) return false;
  const { next } = result.value.step;
  await applyEffects(deps, result.value.step, {
    actor: "system",
    source: AUTO_ASSIGNMENT_SOURCE,
    targetUserId: next.userId,
    packageId: next.packageId,
  });
  return true;
}

/**
 * `autoAssignmentGrace` (subject = assignment id): the grace period of a user who stopped matching
 * ended. The rule is checked again now: still not matching loses the access; matching keeps it.
 * A policy whose auto-assignment was turned off keeps its assignments.
 */
export const autoAssignmentGraceHandler: DueHandler = async (deps, item) => {
  const stored = await deps.assignments.get(item.subjectId);
  if (!stored || !isPendingAutoRemoval(stored.value, item.dueAt)) return;
  const assignment = stored.value;
  const policy = (await deps.governance.load({ fresh: true })).policies.find(
    (p) => p.id === assignment.policyId,
  );
  const rule = policy?.autoAssignment?.enabled ? parseRule(policy.autoAssignment.rule) : undefined;
  if (!rule?.ok) return;
  // The directory is read here, before the compare-and-swap; the version read above is tried first.
  const user = await deps.directory.getUser(assignment.userId);
  const memberOf = user ? await readRuleMemberships(deps.directory, rule.value) : undefined;
  if (user && evaluateRule(rule.value, user, memberOf?.(user.id))) {
    await markGracePeriod(deps, assignment.id, undefined, stored);
    return;
  }
  await endAssignment(deps, {
    assignmentId: assignment.id,
    cause: "autoAssignment",
    reason: "No longer matches the auto-assignment rule.",
    source: AUTO_ASSIGNMENT_SOURCE,
  });
};
