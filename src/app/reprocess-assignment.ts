import type { AppDeps } from "./deps";
import type { UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, type Result } from "../domain/result";
import { loadIndex } from "./shared/context";
import { deliverRequest, type Delivered } from "./deliver-assignment";

export interface ReprocessAssignmentInput {
  actorId: UserId;
  assignmentId: string;
  source: string;
}

/** A catalog owner retries every failed grant of an assignment now, ignoring the backoff. */
export async function reprocessAssignment(
  deps: AppDeps,
  input: ReprocessAssignmentInput,
): Promise<Result<Delivered>> {
  const loaded = await deps.assignments.get(input.assignmentId);
  if (!loaded)
    return err(domainError("ASSIGNMENT.NOT_FOUND", `There is no assignment "${input.assignmentId}".`));
  const index = await loadIndex(deps);
  if (!index.catalogOfPackage(loaded.value.packageId)?.owners.includes(input.actorId)) {
    return err(
      domainError(
        "ASSIGNMENT.REMOVAL_NOT_ALLOWED",
        "Only an owner of the package's catalog can reprocess this access.",
      ),
    );
  }
  deps.logger.info(
    { assignmentId: input.assignmentId, actorId: input.actorId, source: input.source },
    "reprocessing assignment",
  );
  return deliverRequest(deps, loaded.value.requestId, { force: true });
}
