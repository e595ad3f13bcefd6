import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import sinon from "sinon";
import {
  type BotAuthEndpoints,
  MICROSOFT_PUBLIC_CLOUD,
  createBotAuthentication,
} from "../../src/adapters/teams/bot-auth";
import { type RecordingConnector, startRecordingConnector } from "./support/connector";
import { LoopbackCredentialsFactory } from "./support/loopback-credentials";
import { type OpenIdServer, newSigningKey, startOpenIdServer } from "./support/openid-server";
import { type BotOverHttp, TENANT_ID, helpMessage, post, startBot } from "./support/bot";

describe("Bot Framework authentication of incoming activities (production mode)", function () {
  this.timeout(30_000);
  // A fresh app id per run: botbuilder caches the bot's own tokens per app id process-wide.
  const appId = randomUUID();
  const secret = "loopback-client-secret";
  let openId: OpenIdServer;
  let connector: RecordingConnector;
  let h: BotOverHttp;
  let quiet: sinon.SinonStub;

  const endpoints = (): BotAuthEndpoints => ({
    ...MICROSOFT_PUBLIC_CLOUD,
    channelOpenIdMetadataUrl: openId.channelMetadataUrl,
    emulatorOpenIdMetadataUrl: openId.emulatorMetadataUrl,
    loginUrl: openId.loginUrl(TENANT_ID),
    oauthUrl: openId.url,
  });

  before(async () => {
    openId = await startOpenIdServer({ [appId]: secret });
    connector = await startRecordingConnector();
    const settings = { appId, appPassword: secret, appType: "SingleTenant", tenantId: TENANT_ID };
    h = await startBot({
      ...settings,
      serviceUrl: connector.serviceUrl,
      authentication: createBotAuthentication(settings, endpoints(), {
        credentialsFactory: new LoopbackCredentialsFactory(appId, secret),
      }),
    });
  });
  after(async () => {
    await h.close();
    await connector.close();
    await openId.close();
  });
  beforeEach(() => {
    connector.calls.length = 0;
    // botbuilder writes every rejected request to console.error.
    quiet = sinon.stub(console, "error");
  });
  afterEach(() => quiet.restore());

  const refusedAndIgnored = async (answer: { status: number }) => {
    assert.equal(answer.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(connector.calls, [], "the bot sent nothing");
    assert.equal(await h.stores.conversations.getUserReference("ana"), undefined, "the bot stored nothing");
  };

  it("refuses an activity without an Authorization header with 401 and does nothing", async () => {
    await refusedAndIgnored(await post(h.endpoint, helpMessage(connector.serviceUrl)));
  });

  it("refuses a token signed by another key under the published key id with 401", async () => {
    const impostor = newSigningKey(openId.key.kid);
    const token = openId.channelToken(appId, connector.serviceUrl, {}, impostor);
    await refusedAndIgnored(await post(h.endpoint, helpMessage(connector.serviceUrl), token));
  });

  it("refuses a token signed by a key the metadata does not publish with 401", async () => {
    const token = openId.channelToken(appId, connector.serviceUrl, {}, newSigningKey());
    await refusedAndIgnored(await post(h.endpoint, helpMessage(connector.serviceUrl), token));
  });

  it("refuses a token for another app id with 401", async () => {
    const token = openId.channelToken(randomUUID(), connector.serviceUrl);
    await refusedAndIgnored(await post(h.endpoint, helpMessage(connector.serviceUrl), token));
  });

  it("refuses an expired token with 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    // botbuilder allows five minutes of clock skew.
    const token = openId.channelToken(appId, connector.serviceUrl, { nbf: now - 7200, exp: now - 3600 });
    await refusedAndIgnored(await post(h.endpoint, helpMessage(connector.serviceUrl), token));
  });

  it("refuses a token that is not valid yet with 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = openId.channelToken(appId, connector.serviceUrl, { nbf: now + 3600, exp: now + 7200 });
    await refusedAndIgnored(await post(h.endpoint, helpMessage(connector.serviceUrl), token));
  });

  it("refuses a token from another issuer with 401", async () => {
    const token = openId.channelToken(appId, connector.serviceUrl, { iss: "https://issuer.example" });
    await refusedAndIgnored(await post(h.endpoint, helpMessage(connector.serviceUrl), token));
  });

  it("refuses a valid token replayed with another serviceUrl with 401", async () => {
    const token = openId.channelToken(appId, connector.serviceUrl);
    const elsewhere = "http://127.0.0.1:9/";
    await refusedAndIgnored(await post(h.endpoint, helpMessage(elsewhere), token));
  });

  it("refuses an activity from a channel other than Teams with 401 before looking up any key", async () => {
    const before = openId.requests.length;
    const token = openId.channelToken(appId, connector.serviceUrl);
    const ase = helpMessage(connector.serviceUrl, { channelId: "AseChannel" });
    await refusedAndIgnored(await post(h.endpoint, ase, token));
    assert.equal(openId.requests.length, before, "no metadata was fetched");
  });

  it("accepts a valid token: 200, the bot answers, and its reply carries the bot's own token", async () => {
    const token = openId.channelToken(appId, connector.serviceUrl);
    const activity = helpMessage(connector.serviceUrl);
    const answer = await post(h.endpoint, activity, token);
    assert.equal(answer.status, 200, answer.text);

    assert.ok(await h.stores.conversations.getUserReference("ana"), "the conversation was saved");
    const reply = connector.calls.find((c) => c.method === "POST" && c.path.includes("/activities"));
    assert.ok(reply, `the bot replied; calls: ${JSON.stringify(connector.calls.map((c) => c.path))}`);
    assert.equal(
      reply.path,
      `/v3/conversations/${encodeURIComponent("a:ana-personal")}/activities/${encodeURIComponent(String(activity.id))}`,
    );
    const issued = openId.issued.at(-1);
    assert.ok(issued, "the bot obtained a token from the configured login URL");
    assert.equal(issued.clientId, appId);
    assert.equal(issued.scope, "https://api.botframework.com/.default");
    assert.equal(reply.authorization, `Bearer ${issued.accessToken}`);
    assert.ok(openId.requests.includes("GET /keys"), "the signing keys came from the JWKS");
  });
});
