import type { AppDeps } from "../deps";
import type { AccessRequest, UserId } from "../../domain/model";
import type { Versioned } from "../../ports/versioned";
import { proofCovers, stepUpForDecision, type StepUpError } from "../../domain/step-up/step-up";
import { loadIndex, nowIso } from "../shared/context";

export interface StepUpCheckInput {
  /** The clicker, from `activity.from.aadObjectId`. */
  actorId: UserId;
  requestId: string;
  /** 1-based stage number the card showed. */
  stage: number;
  source: string;
}

/**
 * Either the decision may go ahead (with the request as the check read it, so the decision need
 * not read it again), or the approver must sign in (again) first.
 */
export type StepUpCheck =
  | { kind: "clear"; read?: Versioned<AccessRequest> }
  | { kind: "needed"; error: StepUpError; freshnessMinutes: number; lastSignInAt?: string }
  /** Judged on a remembered version that would ask for a sign-in: nothing audited, read and ask again. */
  | { kind: "unsure" };

/**
 * The step-up gate before an approval decision: a stage that asks for step-up is decided only by an
 * approver holding a proof of a fresh multi-factor sign-in. Otherwise nothing is decided or
 * changed; the refusal is audited (`approval.stepUpRequired`). Without step-up configured such a
 * stage cannot be decided at all (fail closed).
 */
export async function checkStepUp(
  deps: AppDeps,
  input: StepUpCheckInput,
  /** A version this process remembers (`RequestStore.remembered`), instead of reading one. */
  remembered?: Versioned<AccessRequest>,
): Promise<StepUpCheck> {
  const read = remembered ?? (await deps.requests.get(input.requestId));
  const request = read?.value;
  if (!request) return { kind: "clear" };
  const policy = (await loadIndex(deps)).policy(request.policyId);
  const rule = policy && stepUpForDecision(request, policy, input.stage);
  if (!rule) return { kind: "clear", read };
  const now = nowIso(deps);
  const proof = await deps.stepUp?.proofs.get(input.actorId);
  if (deps.stepUp && proofCovers(proof, { approverId: input.actorId, now, rule }))
    return { kind: "clear", read };
  if (remembered) return { kind: "unsure" };
  const error: StepUpError = deps.stepUp
    ? {
        code: "STEP_UP.REQUIRED",
        message: `This approval needs a multi-factor sign-in from the last ${rule.freshnessMinutes} minutes.`,
      }
    : {
        code: "STEP_UP.NOT_CONFIGURED",
        message: "This approval needs a multi-factor sign-in, and sign-in isn't set up for Access Desk.",
      };
  await deps.audit.append([
    {
      id: deps.ids.next("aud"),
      at: now,
      actor: input.actorId,
      action: "approval.stepUpRequired",
      subject: `request:${request.id}`,
      targetUserId: request.targetUserId,
      packageId: request.packageId,
      source: input.source,
      reason: error.message,
      details: {
        code: error.code,
        stage: String(input.stage),
        freshnessMinutes: String(rule.freshnessMinutes),
        ...(proof && proof.userId === input.actorId ? { lastSignInAt: proof.authTime } : {}),
      },
    },
  ]);
  return {
    kind: "needed",
    error,
    freshnessMinutes: rule.freshnessMinutes,
    ...(proof && proof.userId === input.actorId ? { lastSignInAt: proof.authTime } : {}),
  };
}
