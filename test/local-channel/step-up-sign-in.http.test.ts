import assert from "node:assert/strict";
import { request } from "node:http";
import { OpenIdTokenVerifier } from "../../src/adapters/identity/openid-token-verifier";
import { localStepUp } from "../../src/composition/step-up";
import { LOGIN_REQUEST } from "../../src/bot/step-up/handlers";
import { judgeSignIn } from "../../src/domain/step-up/step-up";
import { governanceFixture } from "../bot/fixtures/organization";
import type { HttpHarness } from "../bot/support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "../bot/support/cards";
import { requestBusinessAnalyst } from "../bot/support/flow";
import { startBotWorld } from "../support/over-http";
import { memoryStores } from "../support/stores";

/** Business Analyst with step-up on stage 1 (the manager, Maria). */
function stepUpGovernance() {
  const config = governanceFixture();
  for (const policy of config.policies) {
    const first = policy.approval.stages[0];
    if (first) Object.assign(first, { requireStepUp: true, stepUpFreshnessMinutes: 10 });
  }
  return config;
}

describe("the local channel's OpenID provider and simulated step-up sign-in, over HTTP", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  let origin: string;

  beforeEach(async () => {
    const world = await startBotWorld({ stores: memoryStores(stepUpGovernance()) });
    h = { ...world, botUrl: world.url };
    // The channel signs with the real time (no clock hook here): keep the bot's clock on it.
    h.clock.set(new Date());
    origin = new URL(h.channel.serviceUrl).origin;
  });
  afterEach(() => h.close());

  const verifier = () =>
    new OpenIdTokenVerifier({
      metadataUrl: h.channel.identity.metadataUrl,
      audiences: [h.channel.identity.audience],
      clock: h.clock,
    });
  const judge = (claims: Parameters<typeof judgeSignIn>[0], approverId = "maria") =>
    judgeSignIn(claims, { approverId, now: h.clock.now().toISOString(), windowMinutes: 10 });

  it("publishes OpenID metadata and a JWKS on loopback, only to this machine's own callers", async () => {
    const metadata = (await (await fetch(h.channel.identity.metadataUrl)).json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, `${h.channel.serviceUrl}/openid`);
    const jwks = (await (await fetch(String(metadata.jwks_uri))).json()) as {
      keys: Record<string, unknown>[];
    };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]!.kty, "RSA");
    assert.equal(jwks.keys[0]!.d, undefined, "no private part is published");

    const crossSite = await fetch(String(metadata.jwks_uri), { headers: { origin: "https://evil.example" } });
    assert.equal(crossSite.status, 403);
    assert.equal(await statusWithHost(String(metadata.jwks_uri), "rebound.example"), 403);
    assert.equal(await statusWithHost(String(metadata.jwks_uri), new URL(origin).host), 200);
  });

  it("signs tokens the production verifier accepts; MFA counts, a sign-in without MFA is refused", async () => {
    const withMfa = await verifier().verify(h.channel.identity.issue("maria", { mfa: true }));
    assert.ok(withMfa.ok, JSON.stringify(withMfa));
    assert.equal(withMfa.value.oid, "maria");
    assert.deepEqual(withMfa.value.amr, ["pwd", "mfa"]);
    assert.ok(judge(withMfa.value).ok);

    const withoutMfa = await verifier().verify(h.channel.identity.issue("maria", { mfa: false }));
    assert.ok(withoutMfa.ok, "the signature and claims hold");
    const judged = judge(withoutMfa.value);
    assert.equal(judged.ok ? "accepted" : judged.error.code, "STEP_UP.NO_MFA");

    const forOther = await verifier().verify(h.channel.identity.issue("sam", { mfa: true }));
    assert.ok(forOther.ok);
    const other = judge(forOther.value);
    assert.equal(other.ok ? "accepted" : other.error.code, "STEP_UP.OTHER_USER");
  });

  it("refuses to sign for someone who is not one of the channel's people, and a changed token", async () => {
    assert.throws(
      () => h.channel.identity.issue("mallory", { mfa: true }),
      /not one of the local channel's people/,
    );
    const token = h.channel.identity.issue("maria", { mfa: false });
    const [head, , signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, amr: ["pwd", "mfa"] })).toString("base64url")}.${signature}`;
    const verified = await verifier().verify(forged);
    assert.equal(verified.ok ? "accepted" : verified.error.code, "STEP_UP.INVALID_TOKEN");
  });

  describe("wired as local mode wires it (localStepUp), through the page's sign-in route", () => {
    let requestId: string;

    beforeEach(async () => {
      const wiring = localStepUp(h.channel.identity, h.clock);
      Object.assign(h.bot.deps, {
        stepUp: wiring.deps,
        stepUpSignIn: wiring.signIn,
        stepUpConnectionName: wiring.connectionName,
      });
      await h.channel.install("ana");
      requestId = await requestBusinessAnalyst(h);
    });

    const approvalCard = () => latestCard(h.channel, "maria", "Approval needed")!;
    const click = async (verb: string) => {
      const card = approvalCard();
      const data = actionData(cardOf(card), "approval.approve")!;
      const answer = await h.channel.invoke("maria", card.id, verb, { ...data, decisionReason: "" });
      await h.settle();
      return answer;
    };
    const pageSignIn = async (body: Record<string, unknown>) => {
      const response = await fetch(`${origin}${h.channel.basePath}/api/signin`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { status: number; body: unknown } };
    };
    const signInFor = (mfa: unknown, userId = "maria") => {
      const card = approvalCard();
      return pageSignIn({
        userId,
        activityId: card.id,
        verb: "approval.signIn",
        data: { requestId },
        mfa,
      });
    };
    const stageOne = async () => (await h.stores.requests.get(requestId))!.value.stages[0]!;

    it("asks for a sign-in with the provider's link; without MFA the card says why; with MFA Approve counts", async () => {
      assert.match(textOf(invokeCard(await click("approval.approve"))), /Sign in to approve/);
      const login = (await click("approval.signIn")).body as {
        type: string;
        value: { buttons: { value: string }[] };
      };
      assert.equal(login.type, LOGIN_REQUEST);
      assert.equal(login.value.buttons[0]!.value, h.channel.identity.signInUrl);

      const refused = await signInFor(false);
      assert.equal(refused.status, 200);
      assert.match(textOf(invokeCard(refused.body)), /did not use multi-factor authentication/);
      assert.match(textOf(invokeCard(await click("approval.approve"))), /Sign in to approve/);
      assert.equal((await stageOne()).decision, undefined, "nothing recorded without MFA");

      const accepted = await signInFor(true);
      assert.match(textOf(invokeCard(accepted.body)), /You signed in with multi-factor authentication/);
      assert.match(textOf(invokeCard(await click("approval.approve"))), /Approved by Maria Silva/);
      assert.equal((await stageOne()).decision?.by, "maria");
      const audit = await h.stores.audit.query({ subject: "user:maria" });
      assert.deepEqual(audit.map((e) => [e.action, e.details?.code ?? e.details?.method]).sort(), [
        ["stepUp.refused", "STEP_UP.NO_MFA"],
        ["stepUp.verified", "amr:mfa"],
      ]);
    });

    it("refuses a sign-in for someone else, without saying whether MFA was used, or from another origin, and changes nothing", async () => {
      const notPersona = await signInFor(true, "mallory");
      assert.equal(notPersona.status, 400);
      assert.match(JSON.stringify(notPersona.body), /one of the people on this page/);
      const noChoice = await signInFor("yes");
      assert.equal(noChoice.status, 400);
      assert.match(JSON.stringify(noChoice.body), /MFA/);
      // Another website cannot make the channel sign in: cross-origin and non-JSON posts are refused.
      const body = JSON.stringify({
        userId: "maria",
        activityId: approvalCard().id,
        verb: "approval.signIn",
        data: { requestId },
        mfa: true,
      });
      const url = `${origin}${h.channel.basePath}/api/signin`;
      const crossSite = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://evil.example" },
        body,
      });
      assert.equal(crossSite.status, 403);
      const plainText = await fetch(url, { method: "POST", headers: { "content-type": "text/plain" }, body });
      assert.equal(plainText.status, 415);
      assert.equal((await h.stores.audit.query({ subject: "user:maria" })).length, 0);
      assert.equal((await stageOne()).decision, undefined);
    });
  });
});

/** The status of a GET sent with this Host header (fetch does not let a caller set it). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}
