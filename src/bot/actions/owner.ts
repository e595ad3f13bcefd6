import { reprocessAssignment } from "../../app/reprocess-assignment";
import { retryRemoval } from "../../app/removal/retry-removal";
import { loadViewContext } from "../../app/queries/view-context";
import { deliveryProblemView, removalProblemView } from "../../views/access-problem";
import { errorView } from "../../views/error";
import { type ActionAnswer, type ActionTurn, need } from "./execute";

/**
 * Retry on a "removal failed" card: only a catalog owner of the package (the clicker, from the
 * activity) may; the revokes run now and the card shows where the removal stands.
 */
export async function retryRemovalAction({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const assignmentId = need(data.id("assignmentId"));
  need(data.optionalInt("revision"));
  const result = await retryRemoval(deps, { actorId, assignmentId, source: "card:removal.retry" });
  if (!result.ok) return errorView(result.error);
  return removalProblemView(await loadViewContext(deps, [result.value.userId]), result.value);
}

/** Reprocess on a "delivery failed" card: a catalog owner retries every failed grant now. */
export async function reprocessAction({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const assignmentId = need(data.id("assignmentId"));
  need(data.optionalInt("revision"));
  const result = await reprocessAssignment(deps, {
    actorId,
    assignmentId,
    source: "card:assignment.reprocess",
  });
  if (!result.ok) return errorView(result.error);
  const assignment = result.value.assignment ?? (await deps.assignments.get(assignmentId))?.value;
  if (!assignment)
    return errorView({ code: "ASSIGNMENT.NOT_FOUND", message: "This access no longer exists." });
  return deliveryProblemView(await loadViewContext(deps, [assignment.userId]), assignment);
}
