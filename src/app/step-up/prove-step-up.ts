import type { AppDeps } from "../deps";
import type { UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import {
  judgeSignIn,
  longestStepUpWindow,
  type StepUpError,
  type StepUpProof,
} from "../../domain/step-up/step-up";
import { nowIso } from "../shared/context";

export interface ProveStepUpInput {
  /** Who the activity says signed in (`from.aadObjectId`): the token must be theirs. */
  actorId: UserId;
  /** The ID or access token the sign-in produced. */
  token: string;
  source: string;
}

/**
 * Turns a sign-in into a step-up proof: the token is verified (signature, issuer, audience,
 * lifetime), then judged (the actor's own, MFA, recent). A proof is stored per approver and lasts
 * as long as the longest window any stage asks for; each stage checks its own window on use.
 * Accepted and refused sign-ins are both audited; a refusal stores nothing.
 */
export async function proveStepUp(
  deps: AppDeps,
  input: ProveStepUpInput,
): Promise<Result<StepUpProof, StepUpError>> {
  const stepUp = deps.stepUp;
  const now = nowIso(deps);
  let result: Result<StepUpProof, StepUpError>;
  if (!stepUp) {
    result = err({ code: "STEP_UP.NOT_CONFIGURED", message: "Sign-in isn't set up for Access Desk." });
  } else {
    const verified = await stepUp.verifier.verify(input.token).catch((error: unknown) => {
      deps.logger.warn({ err: error }, "could not verify a step-up sign-in");
      return err<StepUpError>({
        code: "STEP_UP.INVALID_TOKEN",
        message: "The sign-in could not be verified: the identity provider did not answer. Try again.",
      });
    });
    result = verified.ok
      ? judgeSignIn(verified.value, {
          approverId: input.actorId,
          now,
          windowMinutes: longestStepUpWindow(await deps.governance.load()),
          authContextId: stepUp.authContextId,
        })
      : verified;
  }
  if (result.ok && stepUp) await stepUp.proofs.save(result.value);
  await deps.audit.append([
    {
      id: deps.ids.next("aud"),
      at: now,
      actor: input.actorId,
      action: result.ok ? "stepUp.verified" : "stepUp.refused",
      subject: `user:${input.actorId}`,
      targetUserId: input.actorId,
      source: input.source,
      ...(result.ok ? {} : { reason: result.error.message }),
      details: result.ok
        ? { method: result.value.method, authTime: result.value.authTime, expiresAt: result.value.expiresAt }
        : { code: result.error.code },
    },
  ]);
  return result.ok ? ok(result.value) : result;
}
