import type { TurnContext } from "botbuilder";
import type { UserTokenClient } from "botframework-connector";

/**
 * Where an approver's step-up token comes from. In Teams: the Azure Bot OAuth connection, through
 * the Bot Framework token service. Locally: the local channel, which plays the identity provider
 * and hands the token over itself. The bot validates the token either way (SignInTokenVerifier).
 */
export interface StepUpSignIn {
  /** The sign-in URL for a "Sign in to approve" button; forgets a cached token first, so the sign-in is fresh. */
  signInLink(context: TurnContext): Promise<string | undefined>;
  /** The token of a `signin/tokenExchange` or `signin/verifyState` invoke, or undefined. */
  tokenFrom(context: TurnContext): Promise<string | undefined>;
}

const valueOf = (context: TurnContext): Record<string, unknown> => {
  const value: unknown = context.activity.value;
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
};

const short = (value: unknown, max: number): string | undefined =>
  typeof value === "string" && value.length > 0 && value.length <= max ? value : undefined;

/** The token of `signin/tokenExchange`, or of a card action sent again with `authentication`. */
function ssoToken(context: TurnContext): string | undefined {
  const value = valueOf(context);
  if (context.activity.name === "signin/tokenExchange") return short(value.token, 16_384);
  const auth = value.authentication as { token?: unknown } | undefined;
  return auth && typeof auth === "object" ? short(auth.token, 16_384) : undefined;
}

/**
 * Production: the Azure Bot OAuth connection `connectionName`. `signin/verifyState` carries the
 * magic code of a completed sign-in, redeemed with the token service; `signin/tokenExchange`
 * carries a Teams SSO token, exchanged for the connection's token.
 */
export function tokenServiceSignIn(connectionName: string): StepUpSignIn {
  const client = (context: TurnContext): UserTokenClient | undefined => {
    const key = (context.adapter as { UserTokenClientKey?: symbol }).UserTokenClientKey;
    return key ? context.turnState.get<UserTokenClient>(key) : undefined;
  };
  return {
    async signInLink(context) {
      const tokens = client(context);
      const userId = context.activity.from?.id;
      if (!tokens || !userId) return undefined;
      // A cached token would be handed back without a new sign-in: forget it, so the next one is fresh.
      await tokens.signOutUser(userId, connectionName, context.activity.channelId);
      return (await tokens.getSignInResource(connectionName, context.activity as never, "")).signInLink;
    },
    async tokenFrom(context) {
      const tokens = client(context);
      const userId = context.activity.from?.id;
      if (!tokens || !userId) return undefined;
      const value = valueOf(context);
      const channelId = context.activity.channelId;
      // A magic code: `signin/verifyState`, or a card action Teams sent again after its sign-in.
      const code = short(value.state, 200);
      if (code) return (await tokens.getUserToken(userId, connectionName, channelId, code))?.token;
      const sso = ssoToken(context);
      if (!sso) return undefined;
      return (await tokens.exchangeToken(userId, connectionName, channelId, { token: sso }))?.token;
    },
  };
}

/**
 * Local mode: the local chat page's simulated sign-in. The channel signs the token with its own
 * loopback OpenID provider and sends it in `signin/tokenExchange`; it is checked like any other.
 */
export function channelSignIn(signInUrl: string): StepUpSignIn {
  return {
    signInLink: async () => signInUrl,
    tokenFrom: async (context) => ssoToken(context),
  };
}
