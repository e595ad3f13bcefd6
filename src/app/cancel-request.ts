import type { AppDeps } from "./deps";
import type { AccessRequest, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { ok, type Result } from "../domain/result";
import { cancelRequest as cancelTransition } from "../domain/request/lifecycle";
import { nowIso } from "./shared/context";
import { applyEffects, auditRefusal, scheduleFirst } from "./shared/effects";
import { mutate } from "./shared/mutate";
import { releaseIfEnded } from "./shared/claims";

export interface CancelRequestInput {
  actorId: UserId;
  requestId: string;
  reason?: string;
  source: string;
}

/** The requester withdraws a pending request; its approval cards then show it as canceled. */
export async function cancelRequest(
  deps: AppDeps,
  input: CancelRequestInput,
): Promise<Result<AccessRequest>> {
  const result = await mutate(
    deps.requests,
    input.requestId,
    domainError("REQUEST.NOT_FOUND", "That request no longer exists."),
    (request) => cancelTransition(request, { actorId: input.actorId, reason: input.reason }, nowIso(deps)),
    undefined,
    (s) => scheduleFirst(deps, s),
  );
  if (!result.ok) {
    // Someone else's request, or one no longer open: refused, and audited.
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `request:${input.requestId}`,
      code: result.error.code,
      message: result.error.message,
    });
    return result;
  }
  const request = result.value.step.next;
  await applyEffects(deps, result.value.step, {
    actor: input.actorId,
    source: input.source,
    targetUserId: request.targetUserId,
    packageId: request.packageId,
  });
  await releaseIfEnded(deps, request);
  return ok(request);
}
