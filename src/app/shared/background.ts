import type { AppDeps } from "../deps";
import type { AccessRequest } from "../../domain/model";
import type { Versioned } from "../../ports/versioned";
import { deliverRequest } from "../deliver-assignment";

/** The longest a delivery waits for the turns being answered (see AnswersFirst). */
export const DELIVERY_MAX_WAIT_MS = 100;

/** What a use case hands back when nothing runs after its answer. */
export const NO_FOLLOW_UP: Promise<void> = Promise.resolve();

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
  // The safety-net retry was stored with the move into "delivering" (domain: deliverySafetyNet).
  if (request.state !== "delivering") return { followUp: NO_FOLLOW_UP };
  const followUp = inBackground(deps, `deliver ${request.id}`, async () => {
    // Answers first: the clicks being answered in this process go before this request's grants,
    // for a moment (a burst of clicks together); under a steady stream the grants wait no longer.
    await deps.answersFirst?.idle(DELIVERY_MAX_WAIT_MS);
    const delivered = await deliverRequest(deps, request.id, { known: saved });
    if (!delivered.ok)
      deps.logger.warn({ requestId: request.id, code: delivered.error.code }, "delivery refused");
  });
  return { followUp };
}
