import { OpenIdTokenVerifier } from "../adapters/identity/openid-token-verifier";
import { MemoryStepUpProofs } from "../adapters/memory/step-up-proofs";
import { tokenServiceSignIn } from "../bot/step-up/sign-in";
import type { Config } from "../config";
import type { Clock } from "../ports/runtime";
import type { BotSettings } from "./bot";

/**
 * Step-up in production: tokens from the Azure Bot OAuth connection (Bot Framework token service),
 * checked against the tenant's Entra OpenID keys. Proofs live in memory: on another instance the
 * approver is asked to sign in again, which is safe. Without OAUTH_CONNECTION_NAME nothing is wired
 * and stages that require step-up cannot be decided (fail closed).
 */
export function stepUpWiring(config: Config, clock: Clock): BotSettings["stepUp"] {
  const settings = config.stepUp;
  if (!settings || config.mode !== "production") return undefined;
  return {
    deps: {
      verifier: new OpenIdTokenVerifier({
        metadataUrl: settings.metadataUrl,
        audiences: settings.audiences,
        clock,
      }),
      proofs: new MemoryStepUpProofs(),
      ...(settings.authContextId ? { authContextId: settings.authContextId } : {}),
    },
    signIn: tokenServiceSignIn(settings.connectionName),
    connectionName: settings.connectionName,
  };
}
