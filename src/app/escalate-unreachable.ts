import type { AppDeps } from "./deps";
import type { AccessRequest, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { activeApprovers, currentStage } from "../domain/request/common";
import { fallBackForUnreachable, type UnreachableReport } from "../domain/request/unreachable";
import type { Step } from "../domain/transition";
import { delegatesOf } from "./delegation/in-force";
import { resolveApproverSpecs } from "./shared/approvers";
import { loadIndex, nowIso } from "./shared/context";
import { applyEffects, type JournaledStep, scheduleFirst } from "./shared/effects";
import type { JournaledRow } from "./shared/journal";
import { mutate } from "./shared/mutate";

/** An approval card Teams refused for good: to whom, for which request, and which stage (when known). */
export interface UnreachableApprover {
  requestId: string;
  /** 1-based; absent for a delegate's card, which is about the current stage. */
  stage?: number;
  userId: UserId;
}

/** Where the notification sink reports refused approval cards (wired by the composition root). */
export type UnreachableApprovers = (refused: UnreachableApprover[]) => Promise<void>;

const SOURCE = "notifications";

function fallbackRow(step: Step<AccessRequest>): JournaledRow[] {
  const event = step.events.find((e) => e.type === "FallbackApproversAdded");
  if (!event || event.type !== "FallbackApproversAdded") return [];
  return [
    {
      actor: "system",
      action: "stage.fallbackAdded",
      subject: `request:${step.next.id}`,
      targetUserId: step.next.targetUserId,
      packageId: step.next.packageId,
      source: SOURCE,
      reason: `Nobody of stage ${event.stage} could be reached, so the stage's fallback approvers were added.`,
      details: {
        stage: String(event.stage),
        approvers: event.approvers.join(","),
        unreachable: event.unreachable.join(","),
      },
    },
  ];
}

/**
 * Approval cards that could not be delivered for good (403 after a refused install, 404): the
 * people are remembered on the stage, and when nobody who may decide it was reached, the stage's
 * fallback approvers join it and get the card (`fallBackForUnreachable`). Fallback approvers and
 * delegates are resolved before the compare-and-swap; the change, its audit row and the new cards
 * are journaled before the request is saved. Running it again changes nothing.
 */
export async function escalateUnreachable(deps: AppDeps, refused: UnreachableApprover[]): Promise<void> {
  const byRequest = new Map<string, UnreachableApprover[]>();
  for (const r of refused) byRequest.set(r.requestId, [...(byRequest.get(r.requestId) ?? []), r]);
  for (const [requestId, entries] of byRequest) await escalateOne(deps, requestId, entries);
}

async function escalateOne(deps: AppDeps, requestId: string, entries: UnreachableApprover[]) {
  const stored = await deps.requests.get(requestId);
  const stage = stored && currentStage(stored.value);
  if (!stored || !stage || stage.decision) return;
  const number = stage.index + 1;
  // A report about an earlier stage is stale: the request moved on.
  const unreachable = entries.filter((e) => (e.stage ?? number) === number).map((e) => e.userId);
  if (unreachable.length === 0) return;
  const request = stored.value;
  const approvers = activeApprovers(stage);
  const delegates: Record<UserId, UserId> = {};
  for (const [delegate, approver] of await delegatesOf(deps, approvers)) delegates[approver] = delegate;
  const report: UnreachableReport = {
    stage: number,
    unreachable,
    fallback: stage.fallbackUsed || stage.fallbackAdded ? [] : await fallbackOf(deps, request, stage.index),
    delegates,
  };
  const result = await mutate(
    deps.requests,
    requestId,
    domainError("REQUEST.NOT_FOUND", "This request no longer exists."),
    (current) => fallBackForUnreachable(current, report, nowIso(deps)),
    stored,
    (s) => scheduleFirst(deps, s, fallbackRow(s)),
  );
  if (!result.ok || !result.value.step.changed) return;
  const step = result.value.step as JournaledStep<Step<AccessRequest>>;
  await applyEffects(
    deps,
    step,
    { actor: "system", source: SOURCE, targetUserId: request.targetUserId, packageId: request.packageId },
    () => step.batch?.rows ?? [],
  );
  const added = step.events.find((e) => e.type === "FallbackApproversAdded");
  if (added) deps.logger.info({ requestId, stage: number, unreachable }, "fallback approvers added");
}

/** The stage's fallback approvers, resolved now for the person the access is for. */
async function fallbackOf(deps: AppDeps, request: AccessRequest, stageIndex: number): Promise<UserId[]> {
  const index = await loadIndex(deps);
  const spec = index.policy(request.policyId)?.approval.stages[stageIndex];
  const target = await deps.directory.getUser(request.targetUserId);
  if (!spec || !target) return [];
  return resolveApproverSpecs(deps, index, spec.fallbackApprovers, target);
}
