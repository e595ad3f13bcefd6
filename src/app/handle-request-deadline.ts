import type { AppDeps } from "./deps";
import type { AccessRequest } from "../domain/model";
import type { DueItem } from "../ports/stores";
import type { Versioned } from "../ports/versioned";
import { domainError } from "../domain/errors";
import type { Transition } from "../domain/transition";
import { endDecisionWindow, escalateStage, remindApprovers } from "../domain/request/stages";
import { startScheduled } from "../domain/request/lifecycle";
import { nowIso } from "./shared/context";
import { applyEffects, scheduleFirst } from "./shared/effects";
import { mutate } from "./shared/mutate";
import { followUpDelivery } from "./shared/background";
import { releaseIfEnded } from "./shared/claims";
import { deliverRequest } from "./deliver-assignment";
import { SCHEDULER_SOURCE, type DueHandler, type DueHandlers } from "./due-work";

/** Reloads the request and applies the deadline if it still applies; a stale deadline does nothing. */
async function applyDeadline(
  deps: AppDeps,
  item: DueItem,
  transition: (request: AccessRequest, now: string) => Transition<AccessRequest>,
): Promise<Versioned<AccessRequest> | undefined> {
  const result = await mutate(
    deps.requests,
    item.subjectId,
    domainError("REQUEST.NOT_FOUND", "gone"),
    (r) => transition(r, nowIso(deps)),
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) {
    deps.logger.debug({ item, code: result.error.code }, "deadline no longer applies");
    return undefined;
  }
  const { step } = result.value;
  if (!step.changed) return undefined;
  await applyEffects(deps, step, {
    actor: "system",
    source: SCHEDULER_SOURCE,
    targetUserId: step.next.targetUserId,
    packageId: step.next.packageId,
  });
  await releaseIfEnded(deps, step.next);
  return { value: step.next, etag: result.value.etag };
}

const stageOf = (item: DueItem) => Number(item.discriminator);

export const handleApprovalReminder: DueHandler = async (deps, item) => {
  await applyDeadline(deps, item, (r, now) => remindApprovers(r, stageOf(item), now));
};

export const handleApprovalEscalation: DueHandler = async (deps, item) => {
  await applyDeadline(deps, item, (r, now) => escalateStage(r, stageOf(item), now));
};

export const handleDecisionWindowEnd: DueHandler = async (deps, item) => {
  await applyDeadline(deps, item, (r, now) => endDecisionWindow(r, stageOf(item), now));
};

export const handleScheduledStart: DueHandler = async (deps, item) => {
  const started = await applyDeadline(deps, item, (r, now) => startScheduled(r, now));
  // Delivered within the handler; the safety net resumes it if this run dies (a rerun of this
  // deadline would find the request started and do nothing).
  if (started) await (await followUpDelivery(deps, started)).followUp;
};

export const handleDeliveryRetry: DueHandler = async (deps, item) => {
  const result = await deliverRequest(deps, item.subjectId);
  if (!result.ok) deps.logger.warn({ item, code: result.error.code }, "delivery retry refused");
};

/** The request deadlines this module handles, by kind, for the scheduler's dispatch table. */
export const requestDeadlineHandlers: DueHandlers = {
  approvalReminder: handleApprovalReminder,
  approvalEscalation: handleApprovalEscalation,
  decisionWindowEnd: handleDecisionWindowEnd,
  scheduledStart: handleScheduledStart,
  deliveryRetry: handleDeliveryRetry,
};
