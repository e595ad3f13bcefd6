import type { AppDeps } from "./deps";
import type { AccessRequest, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { decide } from "../domain/request/decide";
import { loadIndex, nowIso } from "./shared/context";
import { applyEffects, auditRefusal, scheduleFirst } from "./shared/effects";
import { beginWaitingStage } from "./shared/stage-flow";
import { mutate } from "./shared/mutate";
import { inBackground, scheduleDeliverySafetyNet } from "./shared/background";
import { deliverRequest } from "./deliver-assignment";

export interface DecideApprovalInput {
  /** The clicker, from `activity.from.aadObjectId`: never from card data. */
  actorId: UserId;
  requestId: string;
  /** 1-based stage number the card showed. */
  stage: number;
  /** The request revision the card showed; omit for typed commands. */
  revision?: number;
  outcome: "approve" | "deny";
  justification: string;
  source: string;
}

export interface DecidedApproval {
  request: AccessRequest;
  /** Delivery after the final approval; not awaited by the bot, never rejects. */
  followUp: Promise<void>;
}

/**
 * Records an approver's decision. First decision wins: the save is compare-and-swap, and on a
 * conflict the decision is re-made on the fresh state, so the loser hears who decided and when.
 */
export async function decideApproval(
  deps: AppDeps,
  input: DecideApprovalInput,
): Promise<Result<DecidedApproval>> {
  const index = await loadIndex(deps);
  let target: { targetUserId?: string; packageId?: string } = {};
  const result = await mutate(
    deps.requests,
    input.requestId,
    domainError("REQUEST.NOT_FOUND", "That request no longer exists."),
    async (request) => {
      target = { targetUserId: request.targetUserId, packageId: request.packageId };
      const policy = index.policy(request.policyId);
      if (!policy)
        return err(domainError("POLICY.NOT_FOUND", "The policy of this request no longer exists."));
      const now = nowIso(deps);
      const decided = decide(request, input, { now, policy });
      if (!decided.ok || !decided.value.changed) return decided;
      return ok(await beginWaitingStage(deps, index, decided.value, policy, now));
    },
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) {
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `request:${input.requestId}`,
      ...target,
      code: result.error.code,
      message: result.error.message,
    });
    return result;
  }
  const { step } = result.value;
  const request = step.next;
  if (!step.changed) return ok({ request, followUp: Promise.resolve() });
  await applyEffects(deps, step, {
    actor: input.actorId,
    source: input.source,
    targetUserId: request.targetUserId,
    packageId: request.packageId,
  });
  let followUp: Promise<void> = Promise.resolve();
  if (request.state === "delivering") {
    // The answer must not wait for provisioning; the safety net resumes it after a crash.
    await scheduleDeliverySafetyNet(deps, request.id);
    followUp = inBackground(deps, `deliver ${request.id}`, () => deliverRequest(deps, request.id));
  }
  return ok({ request, followUp });
}
