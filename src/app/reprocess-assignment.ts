import type { AppDeps } from "./deps";
import type { UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, type Result } from "../domain/result";
import { catalogOwnerRefusal } from "../domain/assignment/catalog-owners";
import { isActive } from "../domain/assignment/lifecycle";
import { holdsAccess } from "../domain/assignment/failed-grants";
import { loadIndex } from "./shared/context";
import { auditRefusal, auditRow } from "./shared/effects";
import { deliverRequest, type Delivered } from "./deliver-assignment";

export interface ReprocessAssignmentInput {
  /** A catalog owner (card) or "system" (the operator's command line, who holds the storage key). */
  actorId: UserId | "system";
  assignmentId: string;
  source: string;
}

/**
 * A catalog owner retries every failed grant of an assignment now, ignoring the backoff and the
 * spent budget. Anyone else is refused and audited; ended access is not granted again, nor access
 * that a newer assignment (the person asked again) replaced.
 */
export async function reprocessAssignment(
  deps: AppDeps,
  input: ReprocessAssignmentInput,
): Promise<Result<Delivered>> {
  const loaded = await deps.assignments.get(input.assignmentId);
  if (!loaded)
    return err(domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${input.assignmentId}".`));
  const a = loaded.value;
  const subject = `assignment:${a.id}`;
  const context = { targetUserId: a.userId, packageId: a.packageId };
  if (input.actorId !== "system") {
    const index = await loadIndex(deps);
    const refusal = catalogOwnerRefusal(index, a.packageId, input.actorId, "reprocess this access");
    if (refusal) {
      const { code, message } = refusal;
      await auditRefusal(deps, {
        actor: input.actorId,
        source: input.source,
        subject,
        code,
        message,
        ...context,
      });
      return err(refusal);
    }
  }
  if (!isActive(a))
    return err(
      domainError("ASSIGNMENT.NOT_ACTIVE", `This access is already ${a.state}; request it again instead.`),
    );
  // Asked again after the delivery gave up: the newer assignment is the one that counts.
  const newer = (await deps.assignments.listForUser(a.userId)).find(
    (o) => o.id !== a.id && o.packageId === a.packageId && holdsAccess(o),
  );
  if (newer)
    return err(
      domainError("REQUEST.ALREADY_ASSIGNED", "A newer assignment of this package replaced this one.", {
        details: { assignmentId: newer.id },
      }),
    );
  await deps.audit.append([
    auditRow(deps, {
      actor: input.actorId,
      action: "assignment.reprocessed",
      subject,
      source: input.source,
      ...context,
    }),
  ]);
  return deliverRequest(deps, a.requestId, { force: true });
}
