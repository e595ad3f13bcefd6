import type { AppDeps } from "./deps";
import type { AccessRequest, UserId } from "../domain/model";
import type { Versioned } from "../ports/versioned";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { decide } from "../domain/request/decide";
import { loadIndex } from "./shared/context";
import { applyEffects, auditRefusal } from "./shared/effects";
import { mutateRequest } from "./shared/stage-flow";
import { followUpDelivery, NO_FOLLOW_UP } from "./shared/background";
import { releaseIfEnded } from "./shared/claims";
import { principalsNow } from "./delegation/in-force";
import { checkStepUp } from "./step-up/check-step-up";
import { conflictsAhead, warmApprovalConflicts } from "./queries/approval-card";

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
  /** This decision was stored already (the same person, a second click): nothing changed now. */
  repeated?: true;
}

/** The remembered version could not settle the click: decide again on a read. */
const ASK_STORAGE = Symbol("ask storage");

/**
 * Records an approver's decision. First decision wins: the save is compare-and-swap, and on a
 * conflict the decision is re-made on the fresh state, so the loser hears who decided and when.
 */
export async function decideApproval(
  deps: AppDeps,
  input: DecideApprovalInput,
): Promise<Result<DecidedApproval>> {
  // The version this process last saw (usually the one it saved when the card went out) saves
  // without a read first; its compare-and-swap proves it current. A refusal, a repeated click or a
  // sign-in to ask for is judged again on a read: a stale version never answers on its own.
  const remembered = deps.requests.remembered(input.requestId);
  if (remembered) {
    const decided = await decideOn(deps, input, remembered);
    if (decided !== ASK_STORAGE) return decided;
  }
  // Without a remembered version nothing asks storage again: the result is the answer.
  return (await decideOn(deps, input)) as Result<DecidedApproval>;
}

async function decideOn(
  deps: AppDeps,
  input: DecideApprovalInput,
  remembered?: Versioned<AccessRequest>,
): Promise<Result<DecidedApproval> | typeof ASK_STORAGE> {
  // A stage that asks for step-up counts a decision only after a fresh MFA sign-in; the gate
  // audits its refusal, and nothing else is recorded.
  const stepUp = await checkStepUp(deps, input, remembered);
  if (stepUp.kind === "unsure") return ASK_STORAGE;
  if (stepUp.kind === "needed") {
    return err(
      domainError("APPROVAL.STEP_UP_REQUIRED", stepUp.error.message, {
        details: {
          freshnessMinutes: String(stepUp.freshnessMinutes),
          ...(stepUp.lastSignInAt ? { lastSignInAt: stepUp.lastSignInAt } : {}),
        },
      }),
    );
  }
  const index = await loadIndex(deps);
  let target: { targetUserId?: string; packageId?: string } = {};
  // The request as the step-up check saw it (read, or remembered): the first attempt saves at its
  // ETag (a stale one fails the compare-and-swap and the next attempt reads again).
  const read = stepUp.kind === "clear" ? stepUp.read : undefined;
  // An approval that leaves the request waiting for its next stage: the card's conflicts load beside
  // the decision instead of after it.
  const stages = read && index.policy(read.value.policyId)?.approval.stages.length;
  const ahead =
    read && input.outcome === "approve" && stages !== undefined && input.stage < stages
      ? conflictsAhead(deps, index, read.value)
      : undefined;
  // The approvers whose delegation to the clicker is in force now (read outside the retried closure;
  // an approver deciding their own stage costs no read of storage, see principalsNow).
  const decideWith = (principals: UserId[]) =>
    // Approvers of a stage the decision begins are resolved outside the compare-and-swap.
    mutateRequest(
      deps,
      index,
      input.requestId,
      (request, now) => {
        target = { targetUserId: request.targetUserId, packageId: request.packageId };
        const policy = index.policy(request.policyId);
        if (!policy)
          return err(domainError("POLICY.NOT_FOUND", "The policy of this request no longer exists."));
        return decide(request, { ...input, principals }, { now, policy });
      },
      read,
    );
  let result = await decideWith(await principalsNow(deps, input.actorId));
  if (remembered && (!result.ok || !result.value.step.changed)) return ASK_STORAGE;
  if (!result.ok && result.error.code === "APPROVAL.NOT_AN_APPROVER") {
    // Someone the cached delegations know nothing of: a delegation may have started on another
    // instance a moment ago. Storage decides.
    const principals = await principalsNow(deps, input.actorId, { fresh: true });
    if (principals.length > 0) result = await decideWith(principals);
  }
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
  const { step, etag } = result.value;
  const request = step.next;
  if (!step.changed) return ok({ request, followUp: NO_FOLLOW_UP, repeated: true });
  // The clicker's answer shows this revision's conflicts: their reads run beside the audit rows.
  if (ahead) ahead(request);
  else warmApprovalConflicts(deps, index, request);
  await applyEffects(
    deps,
    step,
    {
      actor: input.actorId,
      source: input.source,
      targetUserId: request.targetUserId,
      packageId: request.packageId,
    },
    undefined,
    { savedLast: true },
  );
  await releaseIfEnded(deps, request);
  return ok({ request, ...(await followUpDelivery(deps, { value: request, etag })) });
}
