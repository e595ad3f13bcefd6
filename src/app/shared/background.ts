import type { AppDeps } from "../deps";
import type { AccessRequest } from "../../domain/model";
import { addMinutes } from "../../domain/time";
import type { Versioned } from "../../ports/versioned";
import { deliverRequest } from "../deliver-assignment";
import { nowIso } from "./context";

/** How long a crash may delay delivery: the safety-net retry fires after this. */
export const DELIVERY_SAFETY_NET_MINUTES = 5;

/** What a use case hands back when nothing runs after its answer. */
export const NO_FOLLOW_UP: Promise<void> = Promise.resolve();

/** Schedules the safety-net retry that resumes delivery if the process dies before it finishes. */
async function scheduleDeliverySafetyNet(deps: AppDeps, requestId: string): Promise<void> {
  await deps.due.schedule([
    {
      kind: "deliveryRetry",
      dueAt: addMinutes(nowIso(deps), DELIVERY_SAFETY_NET_MINUTES),
      subjectId: requestId,
      discriminator: "safety",
    },
  ]);
}

/** Runs work after the answer was sent; failures are logged (the safety-net deadline retries). */
function inBackground(deps: AppDeps, what: string, work: () => Promise<unknown>): Promise<void> {
  return Promise.resolve()
    .then(work)
    .then(
      () => undefined,
      (error: unknown) =>
        deps.logger.error({ err: error, what }, "background work failed; a deadline will retry it"),
    );
}

/**
 * The one way a use case starts delivery of a request it just saved ready for it (approved,
 * submitted without approval, assigned directly): the safety net is stored before the answer (a
 * crash resumes delivery), then delivery runs after it, from the saved version. `followUp` settles
 * when delivery is done and never rejects; a request that is not delivering has none.
 */
export async function followUpDelivery(
  deps: AppDeps,
  saved: Versioned<AccessRequest>,
): Promise<{ followUp: Promise<void> }> {
  const request = saved.value;
  if (request.state !== "delivering") return { followUp: NO_FOLLOW_UP };
  await scheduleDeliverySafetyNet(deps, request.id);
  const followUp = inBackground(deps, `deliver ${request.id}`, async () => {
    const delivered = await deliverRequest(deps, request.id, { known: saved });
    if (!delivered.ok)
      deps.logger.warn({ requestId: request.id, code: delivered.error.code }, "delivery refused");
  });
  return { followUp };
}
