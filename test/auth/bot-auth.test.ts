import assert from "node:assert/strict";
import { AuthenticationConstants, MicrosoftAppCredentials } from "botframework-connector";
import {
  AuthenticatingTeamsAdapter,
  MICROSOFT_PUBLIC_CLOUD,
  createBotAuthentication,
  createTeamsAdapter,
} from "../../src/adapters/teams/bot-auth";
import { localServiceUrlProblem } from "../../src/bot/local-service-url";

const TENANT = "7a1d3c55-0000-4000-8000-00000000a11d";
const settings = { appId: "11111111-2222-3333-4444-555555555555", appPassword: "s3cret", tenantId: TENANT };

describe("bot authentication settings", () => {
  it("uses Microsoft's public-cloud endpoints by default", () => {
    const { options, channels } = createBotAuthentication(settings);
    assert.equal(
      options.ToBotFromChannelOpenIdMetadataUrl,
      "https://login.botframework.com/v1/.well-known/openidconfiguration",
    );
    assert.equal(options.ToBotFromChannelTokenIssuer, "https://api.botframework.com");
    assert.equal(options.ToChannelFromBotLoginUrl, AuthenticationConstants.ToChannelFromBotLoginUrl);
    assert.equal(options.ToChannelFromBotOAuthScope, "https://api.botframework.com");
    assert.equal(options.ValidateAuthority, true);
    assert.equal(options.MicrosoftAppType, "SingleTenant");
    assert.deepEqual(channels, ["msteams"]);
  });

  it("takes other endpoints when given", () => {
    const { options } = createBotAuthentication(settings, {
      ...MICROSOFT_PUBLIC_CLOUD,
      channelOpenIdMetadataUrl: "http://127.0.0.1:1/.well-known/openid-configuration",
    });
    assert.equal(
      options.ToBotFromChannelOpenIdMetadataUrl,
      "http://127.0.0.1:1/.well-known/openid-configuration",
    );
  });

  it("gets the single-tenant bot's own token from its tenant's Entra login endpoint", async () => {
    const adapter = createTeamsAdapter({ ...settings, appType: "SingleTenant" });
    assert.ok(adapter instanceof AuthenticatingTeamsAdapter);
    // Builds the credential only; no token is requested.
    const credentials = await adapter.credentialsFactory.createCredentials(
      settings.appId,
      MICROSOFT_PUBLIC_CLOUD.oauthScope,
      MICROSOFT_PUBLIC_CLOUD.loginUrl,
      true,
    );
    assert.ok(credentials instanceof MicrosoftAppCredentials);
    assert.equal(credentials.oAuthEndpoint, `https://login.microsoftonline.com/${TENANT}`);
    assert.equal(credentials.oAuthScope, "https://api.botframework.com");
    assert.equal(await adapter.credentialsFactory.isAuthenticationDisabled(), false);
  });

  it("checks no tokens without an app id (local mode)", async () => {
    const adapter = createTeamsAdapter({ appId: "" });
    assert.equal(await adapter.credentialsFactory.isAuthenticationDisabled(), true);
  });
});

describe("the local-mode serviceUrl rule", () => {
  it("accepts loopback addresses", () => {
    for (const url of [
      "http://127.0.0.1:3978/local-channel",
      "http://localhost:1/",
      "https://localhost/",
      "http://[::1]:8080/",
    ]) {
      assert.equal(localServiceUrlProblem(url), undefined, url);
    }
  });

  it("accepts the configured local channel's origin, nothing else on that host", () => {
    assert.equal(
      localServiceUrlProblem("http://devbox:3978/local-channel", "http://devbox:3978/local-channel"),
      undefined,
    );
    assert.ok(localServiceUrlProblem("http://devbox:9999/", "http://devbox:3978/local-channel"));
  });

  it("refuses other hosts, non-http schemes and missing values with a reason", () => {
    for (const url of [
      "http://10.1.2.3/",
      "https://smba.trafficmanager.net/emea/",
      "ftp://127.0.0.1/",
      "nonsense",
      42,
      undefined,
    ]) {
      assert.match(
        localServiceUrlProblem(url) ?? "",
        /only answers activities whose serviceUrl is on this machine/,
        String(url),
      );
    }
  });
});
