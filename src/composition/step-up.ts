import { OpenIdTokenVerifier } from "../adapters/identity/openid-token-verifier";
import { MemoryStepUpProofs } from "../adapters/memory/step-up-proofs";
import { channelSignIn, tokenServiceSignIn } from "../bot/step-up/sign-in";
import type { Config } from "../config";
import type { LocalIdentityProvider } from "../local-channel";
import type { Clock } from "../ports/runtime";
import type { StepUpProofStore } from "../ports/step-up";
import type { BotSettings } from "./bot";

/**
 * Step-up in production: tokens from the Azure Bot OAuth connection (Bot Framework token service),
 * checked against the tenant's Entra OpenID keys. Proofs live in the StepUpProofs table, so a sign-in
 * answered by one instance counts for a click another receives. Without OAUTH_CONNECTION_NAME nothing is wired
 * and stages that require step-up cannot be decided (fail closed).
 *
 * In local mode, with the local chat page's identity provider: no settings needed (see localStepUp).
 */
export function stepUpWiring(
  config: Config,
  clock: Clock,
  proofs: StepUpProofStore,
  localIdentity?: LocalIdentityProvider,
): BotSettings["stepUp"] {
  if (config.mode === "local" && localIdentity) return localStepUp(localIdentity, clock, proofs);
  const settings = config.stepUp;
  if (!settings || config.mode !== "production") return undefined;
  return {
    deps: {
      verifier: new OpenIdTokenVerifier({
        metadataUrl: settings.metadataUrl,
        audiences: settings.audiences,
        clock,
      }),
      proofs,
      ...(settings.authContextId ? { authContextId: settings.authContextId } : {}),
    },
    signIn: tokenServiceSignIn(settings.connectionName),
    connectionName: settings.connectionName,
  };
}

/**
 * Local mode: the local channel plays Entra ID. Its loopback OpenID provider signs the chat page's
 * simulated sign-ins, and the production verifier checks them against its metadata and JWKS over
 * HTTP (issuer, audience, signature, lifetime), then the same MFA and freshness rules apply. Call
 * once the channel listens: the metadata address carries its port.
 */
export function localStepUp(
  identity: LocalIdentityProvider,
  clock: Clock,
  proofs: StepUpProofStore = new MemoryStepUpProofs(),
): NonNullable<BotSettings["stepUp"]> {
  return {
    deps: {
      verifier: new OpenIdTokenVerifier({
        metadataUrl: identity.metadataUrl,
        audiences: [identity.audience],
        clock,
      }),
      proofs,
    },
    signIn: channelSignIn(identity.signInUrl),
    connectionName: "local-chat",
  };
}
