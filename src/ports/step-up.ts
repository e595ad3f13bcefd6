import type { Result } from "../domain/result";
import type { SignInClaims, StepUpError, StepUpProof } from "../domain/step-up/step-up";
import type { UserId } from "../domain/model";

/**
 * Checks a sign-in token (ID or access token) as its identity provider issued it: signature by a
 * key of the provider's published JWKS, issuer, audience and lifetime. Says nothing yet about MFA
 * or freshness: the domain judges the claims it returns.
 */
export interface SignInTokenVerifier {
  verify(token: string): Promise<Result<SignInClaims, StepUpError>>;
}

/** The step-up proof of each approver: one row per person, replaced by their next sign-in. */
export interface StepUpProofStore {
  get(userId: UserId): Promise<StepUpProof | undefined>;
  save(proof: StepUpProof): Promise<void>;
}

/** What step-up needs; absent means no stage that asks for step-up can be decided (fail closed). */
export interface StepUpDeps {
  verifier: SignInTokenVerifier;
  proofs: StepUpProofStore;
  /** Conditional Access authentication context id (e.g. "c1") accepted in `acrs` instead of `amr: mfa`. */
  authContextId?: string;
}
