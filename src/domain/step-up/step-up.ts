import type { AccessRequest, AssignmentPolicy, GovernanceConfig, Instant, UserId } from "../model";
import { currentStage } from "../request/common";
import { err, ok, type Result } from "../result";
import { addMinutes, isAfter, toMs } from "../time";

/**
 * Step-up for sensitive approvals: on a stage that asks for it, an approver's decision counts only
 * after a sign-in that shows multi-factor authentication and is recent enough. The portal would ask
 * for the same (a Conditional Access authentication context), so a chat approval is never weaker.
 */

export const DEFAULT_STEP_UP_FRESHNESS_MINUTES = 10;
export const MAX_STEP_UP_FRESHNESS_MINUTES = 60;
/** Clock skew tolerated between the identity provider and us for `auth_time`. */
const SKEW_MINUTES = 5;

export type StepUpCode =
  | "STEP_UP.REQUIRED"
  | "STEP_UP.NOT_CONFIGURED"
  | "STEP_UP.INVALID_TOKEN"
  | "STEP_UP.OTHER_USER"
  | "STEP_UP.NO_MFA"
  | "STEP_UP.NO_AUTH_TIME"
  | "STEP_UP.STALE";

export interface StepUpError {
  code: StepUpCode;
  message: string;
}

/** What a stage asks of its approvers' sign-in. */
export interface StepUpRule {
  freshnessMinutes: number;
}

/**
 * The claims of a sign-in token whose signature, issuer, audience and lifetime were already
 * checked (the verifier's job); this module judges what they say about the person.
 */
export interface SignInClaims {
  /** Entra object id of the person who signed in (`oid`). */
  oid: string;
  /** `auth_time`: when they last entered credentials, as an instant. */
  authTime?: Instant;
  /** Authentication methods (`amr`), e.g. ["pwd", "mfa"]. */
  amr: string[];
  /** Conditional Access authentication contexts satisfied (`acrs`), e.g. ["c1"]. */
  acrs: string[];
}

/** A judged sign-in, kept per approver until its window ends so their retry counts. */
export interface StepUpProof {
  userId: UserId;
  authTime: Instant;
  /** How MFA was shown: "amr:mfa" or "acrs:<id>". */
  method: string;
  provedAt: Instant;
  /** After this the proof covers no stage. */
  expiresAt: Instant;
}

const refuse = (code: StepUpCode, message: string): Result<never, StepUpError> => err({ code, message });

/** The step-up rule of stage `stageNumber` (1-based) of a policy, if it asks for one. */
export function stageStepUp(policy: AssignmentPolicy, stageNumber: number): StepUpRule | undefined {
  const spec = policy.approval.stages[stageNumber - 1];
  if (!spec?.requireStepUp) return undefined;
  return { freshnessMinutes: spec.stepUpFreshnessMinutes ?? DEFAULT_STEP_UP_FRESHNESS_MINUTES };
}

/**
 * The rule a click must meet: the request is pending at this very stage and the stage asks for
 * step-up. A stale card or a decided stage needs none: the decision is refused anyway, with the
 * reason the approver should hear.
 */
export function stepUpForDecision(
  request: AccessRequest,
  policy: AssignmentPolicy,
  stageNumber: number,
): StepUpRule | undefined {
  const current = currentStage(request);
  if (!current || current.index !== stageNumber - 1) return undefined;
  return stageStepUp(policy, stageNumber);
}

/** The longest window any stage asks for: a proof is kept that long, and no longer. */
export function longestStepUpWindow(config: GovernanceConfig): number {
  let longest = DEFAULT_STEP_UP_FRESHNESS_MINUTES;
  for (const policy of config.policies)
    for (const stage of policy.approval.stages)
      if (stage.requireStepUp)
        longest = Math.max(longest, stage.stepUpFreshnessMinutes ?? DEFAULT_STEP_UP_FRESHNESS_MINUTES);
  return Math.min(longest, MAX_STEP_UP_FRESHNESS_MINUTES);
}

/**
 * Judges a verified sign-in of `approverId`: it must be theirs (`oid`), show MFA (`amr` has "mfa",
 * or `acrs` has the configured authentication context) and have an `auth_time` within `windowMinutes`.
 */
export function judgeSignIn(
  claims: SignInClaims,
  ctx: { approverId: UserId; now: Instant; windowMinutes: number; authContextId?: string },
): Result<StepUpProof, StepUpError> {
  if (claims.oid !== ctx.approverId)
    return refuse("STEP_UP.OTHER_USER", "That sign-in belongs to another account. Sign in as yourself.");
  const method = claims.amr.includes("mfa")
    ? "amr:mfa"
    : ctx.authContextId && claims.acrs.includes(ctx.authContextId)
      ? `acrs:${ctx.authContextId}`
      : undefined;
  if (!method)
    return refuse(
      "STEP_UP.NO_MFA",
      "That sign-in did not use multi-factor authentication. Sign in again with MFA to approve.",
    );
  if (!claims.authTime)
    return refuse("STEP_UP.NO_AUTH_TIME", "That sign-in does not say when you signed in. Sign in again.");
  if (isAfter(claims.authTime, addMinutes(ctx.now, SKEW_MINUTES)))
    return refuse("STEP_UP.NO_AUTH_TIME", "That sign-in claims to be from the future. Sign in again.");
  const expiresAt = addMinutes(claims.authTime, ctx.windowMinutes);
  if (!isAfter(expiresAt, ctx.now))
    return refuse(
      "STEP_UP.STALE",
      `That sign-in is older than ${ctx.windowMinutes} minutes. Sign in again to approve.`,
    );
  return ok({ userId: ctx.approverId, authTime: claims.authTime, method, provedAt: ctx.now, expiresAt });
}

/** Whether a stored proof lets `approverId` decide a stage with `rule` now. */
export function proofCovers(
  proof: StepUpProof | undefined,
  ctx: { approverId: UserId; now: Instant; rule: StepUpRule },
): boolean {
  if (!proof || proof.userId !== ctx.approverId) return false;
  if (!isAfter(proof.expiresAt, ctx.now)) return false;
  const ageMs = toMs(ctx.now) - toMs(proof.authTime);
  return ageMs < ctx.rule.freshnessMinutes * 60_000;
}
