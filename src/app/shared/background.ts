import type { AppDeps } from "../deps";
import { addMinutes } from "../../domain/time";
import { nowIso } from "./context";

/** How long a crash may delay delivery: the safety-net retry fires after this. */
export const DELIVERY_SAFETY_NET_MINUTES = 5;

/** Schedules the safety-net retry that resumes delivery if the process dies before it finishes. */
export async function scheduleDeliverySafetyNet(deps: AppDeps, requestId: string): Promise<void> {
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
export function inBackground(deps: AppDeps, what: string, work: () => Promise<unknown>): Promise<void> {
  return Promise.resolve()
    .then(work)
    .then(
      () => undefined,
      (error: unknown) =>
        deps.logger.error({ err: error, what }, "background work failed; a deadline will retry it"),
    );
}
