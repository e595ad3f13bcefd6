import { isPendingAutoRemoval, clearAutoRemoval } from "../../domain/lifecycle";
import { evaluateRule, parseRule } from "../../domain/rules";
import type { DueHandler } from "../../scheduler/handlers";
import { AUTO_ASSIGNMENT_SOURCE } from "./auto-assignment-add";
import { endAssignment } from "./end-assignment";
import { nowIso, retryOnConflict } from "./support";

/**
 * `autoAssignmentGrace` (subject = assignment id): the grace period of a user who stopped matching
 * ended. The rule is checked again now: still not matching loses the access; matching keeps it.
 * A policy whose auto-assignment was turned off keeps its assignments.
 */
export const autoAssignmentGraceHandler: DueHandler = async (deps, item) => {
  const stored = await deps.assignments.get(item.subjectId);
  if (!stored || !isPendingAutoRemoval(stored.value, item.dueAt)) return;
  const assignment = stored.value;
  const policy = (await deps.governance.load()).policies.find((p) => p.id === assignment.policyId);
  const rule = policy?.autoAssignment?.enabled ? parseRule(policy.autoAssignment.rule) : undefined;
  if (!rule?.ok) return;
  const user = await deps.directory.getUser(assignment.userId);
  if (user && evaluateRule(rule.value, user)) {
    await retryOnConflict(async () => {
      const current = await deps.assignments.get(assignment.id);
      if (!current) return;
      const step = clearAutoRemoval(current.value, nowIso(deps));
      if (step.changed) await deps.assignments.update(step.next, current.etag);
    });
    return;
  }
  await endAssignment(deps, {
    assignmentId: assignment.id,
    cause: "autoAssignment",
    reason: "No longer matches the auto-assignment rule.",
    source: AUTO_ASSIGNMENT_SOURCE,
  });
};
