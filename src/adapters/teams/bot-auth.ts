/**
 * How the bot authenticates Bot Framework traffic.
 *
 * Incoming: with an app id, every activity must carry a JWT signed by a key from the Bot Connector's
 * OpenID metadata, issued by the Bot Framework, with our app id as audience and the activity's
 * serviceUrl as `serviceurl` claim (botbuilder checks all of that). Without an app id (local mode)
 * nothing is checked, so the bot only answers activities whose serviceUrl is on this machine.
 *
 * Outgoing: botbuilder obtains the bot's own token from Entra ID with the app's credentials.
 *
 * Production uses Microsoft's public-cloud endpoints (botbuilder's own constants); tests point the
 * same code at a loopback OpenID server.
 */
import { TeamsAdapter } from "@microsoft/teams-ai";
import {
  type Activity,
  CallerIdConstants,
  type ConfigurationBotFrameworkAuthenticationOptions,
  StatusCodes,
  type TurnContext,
} from "botbuilder";
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  type ServiceClientCredentialsFactory,
} from "botframework-connector";

export interface BotAuthSettings {
  /** Empty in local mode: no token checks, no tokens sent. */
  appId: string;
  appPassword?: string;
  appType?: string;
  tenantId?: string;
}

/** The Bot Framework endpoints, under botbuilder's setting names in the comments. */
export interface BotAuthEndpoints {
  /** `ToBotFromChannelOpenIdMetadataUrl`: the OpenID document whose JWKS signs incoming activities. */
  channelOpenIdMetadataUrl: string;
  /** `ToBotFromChannelTokenIssuer`: the `iss` of a channel's token. */
  channelTokenIssuer: string;
  /** `ToBotFromEmulatorOpenIdMetadataUrl`: keys for Entra-issued tokens (emulator and skills). */
  emulatorOpenIdMetadataUrl: string;
  /** `ToChannelFromBotLoginUrl`: where the bot gets its own token for replies. */
  loginUrl: string;
  /** `ToChannelFromBotOAuthScope`: the audience of the bot's own token. */
  oauthScope: string;
  /** `OAuthUrl`: the Bot Framework token service (user sign-in; unused by this bot). */
  oauthUrl: string;
  /** `CallerId`: stamped on authenticated activities. */
  callerId: string;
  /** `ValidateAuthority`. */
  validateAuthority: boolean;
}

/** Microsoft's public cloud, as botbuilder defines it. */
export const MICROSOFT_PUBLIC_CLOUD: Readonly<BotAuthEndpoints> = Object.freeze({
  channelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  channelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  emulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  loginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  oauthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  oauthUrl: AuthenticationConstants.OAuthUrl,
  callerId: CallerIdConstants.PublicAzureChannel,
  validateAuthority: true,
});

/** The channels an authenticated bot accepts; Access Desk is a Teams bot. */
export const TEAMS_CHANNELS: readonly string[] = Object.freeze(["msteams"]);

/** What the adapter is built from: botbuilder's settings object and, optionally, a credential factory. */
export interface BotAuthentication {
  options: ConfigurationBotFrameworkAuthenticationOptions;
  /** Replaces botbuilder's credential factory (the bot's outgoing tokens); default: from `options`. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** Channel ids accepted when authentication is on; anything else is refused before any key lookup. */
  channels: readonly string[];
}

/**
 * botbuilder's authentication settings for this bot: the app's identity plus the endpoints
 * (Microsoft's public cloud unless others are given).
 */
export function createBotAuthentication(
  settings: BotAuthSettings,
  endpoints: BotAuthEndpoints = MICROSOFT_PUBLIC_CLOUD,
  extra: { credentialsFactory?: ServiceClientCredentialsFactory; channels?: readonly string[] } = {},
): BotAuthentication {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword ?? "",
    MicrosoftAppType: settings.appType ?? (settings.appId ? "SingleTenant" : ""),
    MicrosoftAppTenantId: settings.tenantId ?? "",
    ToBotFromChannelOpenIdMetadataUrl: endpoints.channelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: endpoints.channelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: endpoints.emulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: endpoints.loginUrl,
    ToChannelFromBotOAuthScope: endpoints.oauthScope,
    OAuthUrl: endpoints.oauthUrl,
    CallerId: endpoints.callerId,
    ValidateAuthority: endpoints.validateAuthority,
  };
  return {
    options,
    credentialsFactory: extra.credentialsFactory,
    channels: extra.channels ?? TEAMS_CHANNELS,
  };
}

/** Errors jsonwebtoken throws for a bad signature, a not-yet-valid or an expired token. */
const TOKEN_ERRORS = new Set(["JsonWebTokenError", "NotBeforeError", "TokenExpiredError"]);

/**
 * TeamsAdapter that answers every rejected token with 401. botbuilder lets jsonwebtoken's own errors
 * (a signature from another key under a published key id, a token not valid yet) through as 500; a
 * missing key, a wrong issuer, audience or serviceUrl, and an expired token are already 401.
 */
export class AuthenticatingTeamsAdapter extends TeamsAdapter {
  constructor(
    private readonly auth: BotAuthentication,
    private readonly authenticationOn: boolean,
  ) {
    super(auth.options, auth.credentialsFactory);
  }

  protected override processActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): ReturnType<TeamsAdapter["processActivity"]>;
  protected override processActivity(
    authenticateRequestResult: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): ReturnType<TeamsAdapter["processActivity"]>;
  protected override async processActivity(
    authOrResult: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): ReturnType<TeamsAdapter["processActivity"]> {
    if (typeof authOrResult !== "string") return super.processActivity(authOrResult, activity, logic);
    if (this.authenticationOn && !this.auth.channels.includes(activity.channelId)) {
      // Checked first: botbuilder validates some channels (AseChannel) against fixed endpoints.
      throw new AuthenticationError(
        `Unauthorized. This bot accepts activities from ${this.auth.channels.join(", ")} only.`,
        StatusCodes.UNAUTHORIZED,
      );
    }
    let result: AuthenticateRequestResult;
    try {
      result = await this.botFrameworkAuthentication.authenticateRequest(activity, authOrResult);
    } catch (error) {
      if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
        throw new AuthenticationError(
          `Unauthorized. The token is not valid (${error.message}).`,
          StatusCodes.UNAUTHORIZED,
        );
      }
      throw error;
    }
    return super.processActivity(result, activity, logic);
  }
}

/** The bot's adapter: Microsoft's endpoints unless `auth` says otherwise. */
export function createTeamsAdapter(settings: BotAuthSettings, auth?: BotAuthentication): TeamsAdapter {
  return new AuthenticatingTeamsAdapter(auth ?? createBotAuthentication(settings), settings.appId !== "");
}
