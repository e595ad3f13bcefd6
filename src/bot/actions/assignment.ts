import { getMyAccess } from "../../app/get-my-access";
import { removeAssignment } from "../../app/remove-assignment";
import { requestExtension } from "../../app/request-extension";
import { loadViewContext } from "../../app/queries/view-context";
import { LIMITS } from "../../domain/request/validate-request";
import { errorView } from "../../views/error";
import { myAccessView } from "../../views/lists";
import { expiryClosedView, expiryReminderView } from "../../views/expiry";
import { packageName } from "../../views/context";
import { type ActionAnswer, type ActionTurn, need } from "./execute";
import { becomeStatusCard, openRequestAnswer } from "./request";

/** Extend: at once when the policy allows it, else a new request to the approvers. */
export async function extendAction({ deps, context, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const assignmentId = need(data.id("assignmentId"));
  const reason = need(data.text("extendReason", LIMITS.justification));
  const outcome = await requestExtension(deps, {
    actorId,
    assignmentId,
    justification: reason,
    source: "card:assignment.extend",
  });
  if (!outcome.ok) {
    const open = await openRequestAnswer({ deps, context, actorId }, outcome.error);
    if (open) return open;
  }
  const ctx = await loadViewContext(deps, [actorId]);
  if (!outcome.ok) {
    const problem = outcome.error.problems?.[0];
    const assignment = (await deps.assignments.get(assignmentId))?.value;
    if (problem && assignment && assignment.userId === actorId) {
      return expiryReminderView(ctx, assignment, {
        problem: problem.message,
        reason,
        title: `Extend ${packageName(ctx, assignment.packageId)}`,
      });
    }
    return errorView(outcome.error);
  }
  if (outcome.value.kind === "extended") return expiryClosedView(ctx, outcome.value.assignment, "extended");
  return becomeStatusCard({ deps, context, actorId }, outcome.value.request);
}

/** Remove: only when the policy lets people remove their own access; answers with the updated list. */
export async function removeAction({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const assignmentId = need(data.id("assignmentId"));
  const removed = await removeAssignment(deps, {
    actorId,
    assignmentId,
    as: "user",
    reason: "Removed by the user",
    source: "card:assignment.remove",
  });
  if (!removed.ok) return errorView(removed.error);
  const mine = await getMyAccess(deps, actorId);
  return myAccessView(await loadViewContext(deps, [actorId]), mine.assignments);
}
