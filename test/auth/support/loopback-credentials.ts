import {
  AppCredentials,
  type AuthenticatorResult,
  type ServiceClientCredentials,
  type ServiceClientCredentialsFactory,
} from "botframework-connector";

/**
 * The bot's own token from an OAuth client-credentials endpoint under the configured login URL.
 * Stands in for botbuilder's MSAL credential, which only accepts https authorities.
 */
class ClientCredentials extends AppCredentials {
  constructor(
    appId: string,
    private readonly secret: string,
    private readonly loginUrl: string,
    scope: string,
  ) {
    super(appId, undefined, scope);
  }

  protected override async refreshToken(): Promise<AuthenticatorResult> {
    const response = await fetch(`${this.loginUrl}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: this.appId,
        client_secret: this.secret,
        scope: `${this.oAuthScope}/.default`,
      }),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    return { accessToken: body.access_token, expiresOn: new Date(Date.now() + body.expires_in * 1000) };
  }
}

/** A credential factory for one app id whose tokens come from `loginEndpoint` (as botbuilder passes it). */
export class LoopbackCredentialsFactory implements ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    private readonly secret: string,
  ) {}

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(
    appId: string,
    audience: string | undefined,
    loginEndpoint: string,
  ): Promise<ServiceClientCredentials> {
    if (appId !== this.appId) throw new Error("Invalid appId.");
    return new ClientCredentials(
      appId,
      this.secret,
      loginEndpoint,
      audience ?? "https://api.botframework.com",
    );
  }
}
