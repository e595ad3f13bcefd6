import assert from "node:assert/strict";
import { MemoryStepUpProofs } from "../../src/adapters/memory/step-up-proofs";
import { OpenIdTokenVerifier } from "../../src/adapters/identity/openid-token-verifier";
import { channelSignIn } from "../../src/bot/step-up/sign-in";
import { LOGIN_REQUEST } from "../../src/bot/step-up/handlers";
import { startBotWorld } from "../support/over-http";
import { memoryStores } from "../support/stores";
import { governanceFixture } from "../bot/fixtures/organization";
import type { HttpHarness } from "../bot/support/harness";
import { newSigningKey } from "../auth/support/openid-server";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "../bot/support/cards";
import { requestBusinessAnalyst } from "../bot/support/flow";
import { type LoopbackOpenId, SIGN_IN_CLIENT_ID, startOpenIdProvider } from "./support/openid-provider";

/** Business Analyst with step-up on stage 1 (the manager, Maria); stage 2 (security) has none. */
function stepUpGovernance() {
  const config = governanceFixture();
  for (const policy of config.policies) {
    const first = policy.approval.stages[0];
    if (first) Object.assign(first, { requireStepUp: true, stepUpFreshnessMinutes: 10 });
  }
  return config;
}

describe("step-up for sensitive approvals, over HTTP against a loopback OpenID provider", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  let idp: LoopbackOpenId;
  let requestId: string;

  const now = () => h.clock.now();
  const minutesAgo = (m: number) => Math.floor(now().getTime() / 1000) - m * 60;

  before(async () => {
    idp = await startOpenIdProvider();
  });
  after(() => idp.close());

  beforeEach(async () => {
    const world = await startBotWorld({ stores: memoryStores(stepUpGovernance()) });
    h = { ...world, botUrl: world.url };
    Object.assign(h.bot.deps, {
      stepUp: {
        verifier: new OpenIdTokenVerifier({
          metadataUrl: idp.metadataUrl,
          audiences: [SIGN_IN_CLIENT_ID],
          clock: h.clock,
        }),
        proofs: new MemoryStepUpProofs(),
        authContextId: "c1",
      },
      stepUpSignIn: channelSignIn(`${h.channel.serviceUrl}/signin`),
    });
    await h.channel.install("ana");
    requestId = await requestBusinessAnalyst(h);
  });
  afterEach(() => h.close());

  const approvalCard = (userId: string) => latestCard(h.channel, userId, "Approval needed")!;

  async function click(userId: string, verb: string, extra?: Record<string, unknown>) {
    const card = approvalCard(userId);
    const data = actionData(cardOf(card), verb) ?? actionData(cardOf(card), "approval.approve")!;
    const result = await h.channel.invoke(
      userId,
      card.id,
      verb,
      { ...data, decisionReason: "" },
      "manual",
      extra,
    );
    await h.settle();
    return result;
  }
  const approve = (userId: string) => click(userId, "approval.approve");
  const signIn = (userId: string, token?: string) =>
    click(userId, "approval.signIn", token ? { authentication: { token } } : undefined);

  async function stored() {
    const request = (await h.stores.requests.get(requestId))!.value;
    const audit = await h.stores.audit.query({ subject: `request:${requestId}` });
    return { request, audit };
  }

  async function assertNothingRecorded(revision: number) {
    const { request, audit } = await stored();
    assert.equal(request.revision, revision, "no state change");
    assert.equal(request.stages[0]!.decision, undefined, "no decision");
    assert.equal(audit.filter((e) => e.action === "stage.approved").length, 0);
  }

  it("answers Approve with 'Sign in to approve', records nothing and audits the step-up requirement", async () => {
    const before = (await stored()).request.revision;
    const answer = await approve("maria");
    assert.equal(answer.status, 200);
    const text = textOf(invokeCard(answer));
    assert.match(text, /Sign in to approve/);
    assert.match(text, /multi-factor sign-in from the last 10 minutes/);
    assert.ok(actionData(invokeCard(answer), "approval.signIn"), "the card offers the sign-in");
    await assertNothingRecorded(before);
    const { audit } = await stored();
    const required = audit.filter((e) => e.action === "approval.stepUpRequired");
    assert.equal(required.length, 1);
    assert.equal(required[0]!.actor, "maria");
    assert.equal(required[0]!.details?.code, "STEP_UP.REQUIRED");
  });

  it("asks Teams for a sign-in when the sign-in click carries no token", async () => {
    const answer = await signIn("maria");
    assert.equal(answer.status, 200);
    const body = answer.body as { statusCode: number; type: string; value: { buttons: { value: string }[] } };
    assert.equal(body.statusCode, 401);
    assert.equal(body.type, LOGIN_REQUEST);
    assert.match(body.value.buttons[0]!.value, /\/signin$/);
  });

  it("counts the decision after a fresh MFA sign-in; the next stage without step-up is unaffected", async () => {
    const signedIn = await signIn("maria", idp.token("maria", now()));
    assert.match(textOf(invokeCard(signedIn)), /You signed in with multi-factor authentication/);
    assert.ok(
      idp.requests.some((r) => r.endsWith("/discovery/v2.0/keys")),
      "keys were fetched over HTTP",
    );

    const answer = await approve("maria");
    assert.match(textOf(invokeCard(answer)), /Stage 1 of 2: Approved by Maria Silva/);
    assert.equal((await stored()).request.stages[0]!.decision?.by, "maria");

    // Stage 2 asks for no step-up: Sam decides without signing in.
    await approve("sam");
    const { request, audit } = await stored();
    assert.equal(request.state, "delivered");
    const verified = await h.stores.audit.query({ subject: "user:maria" });
    assert.deepEqual(
      verified.map((e) => [e.action, e.details?.method]),
      [["stepUp.verified", "amr:mfa"]],
    );
    assert.equal(audit.filter((e) => e.action === "approval.stepUpRequired").length, 0);
  });

  it("accepts the configured authentication context (acrs) in place of amr: mfa", async () => {
    await signIn("maria", idp.token("maria", now(), { amr: ["pwd"], acrs: ["c1"] }));
    assert.match(textOf(invokeCard(await approve("maria"))), /Approved by Maria Silva/);
  });

  it("refuses a sign-in without MFA: the approval still asks for sign-in and records nothing", async () => {
    const before = (await stored()).request.revision;
    const answer = await signIn("maria", idp.token("maria", now(), { amr: ["pwd"], acrs: ["c2"] }));
    assert.match(textOf(invokeCard(answer)), /did not use multi-factor authentication/);
    assert.match(textOf(invokeCard(await approve("maria"))), /Sign in to approve/);
    await assertNothingRecorded(before);
    const refused = await h.stores.audit.query({ subject: "user:maria" });
    assert.deepEqual(
      refused.map((e) => [e.action, e.details?.code]),
      [["stepUp.refused", "STEP_UP.NO_MFA"]],
    );
  });

  it("refuses an MFA sign-in whose auth_time is older than the window", async () => {
    const before = (await stored()).request.revision;
    const token = idp.token("maria", now(), { auth_time: minutesAgo(25) });
    assert.match(textOf(invokeCard(await signIn("maria", token))), /older than 10 minutes/);
    assert.match(textOf(invokeCard(await approve("maria"))), /Sign in to approve/);
    await assertNothingRecorded(before);
  });

  it("lets a stored proof lapse with its window: a retry after 11 minutes asks again", async () => {
    await signIn("maria", idp.token("maria", now()));
    h.clock.advance(11 * 60_000);
    const before = (await stored()).request.revision;
    const answer = textOf(invokeCard(await approve("maria")));
    assert.match(answer, /Sign in to approve/);
    assert.match(answer, /Your last sign-in was at/);
    await assertNothingRecorded(before);
  });

  it("refuses a token issued to another user (oid mismatch)", async () => {
    const before = (await stored()).request.revision;
    const answer = await signIn("maria", idp.token("sam", now()));
    assert.match(textOf(invokeCard(answer)), /belongs to another account/);
    assert.match(textOf(invokeCard(await approve("maria"))), /Sign in to approve/);
    await assertNothingRecorded(before);
  });

  const forged: Array<[string, () => string, RegExp]> = [
    [
      "a key the provider does not publish",
      () => idp.token("maria", now(), {}, newSigningKey()),
      /does not publish/,
    ],
    [
      "another key under the published key id",
      () => idp.token("maria", now(), {}, { ...newSigningKey(idp.key.kid) }),
      /signature does not match/,
    ],
    [
      "another issuer",
      () => idp.token("maria", now(), { iss: "https://login.example.com/v2.0" }),
      /another issuer/,
    ],
    ["another audience", () => idp.token("maria", now(), { aud: "some-other-app" }), /another app/],
    ["an expired token", () => idp.token("maria", now(), { exp: minutesAgo(10) }), /expired/],
    [
      "a token with its payload changed",
      () => tamper(idp.token("maria", now(), { amr: ["pwd"] })),
      /signature/,
    ],
  ];
  for (const [what, token, reason] of forged) {
    it(`refuses ${what}`, async () => {
      const before = (await stored()).request.revision;
      assert.match(textOf(invokeCard(await signIn("maria", token()))), reason);
      assert.match(textOf(invokeCard(await approve("maria"))), /Sign in to approve/);
      await assertNothingRecorded(before);
      const refused = await h.stores.audit.query({ subject: "user:maria" });
      assert.deepEqual(
        refused.map((e) => [e.action, e.details?.code]),
        [["stepUp.refused", "STEP_UP.INVALID_TOKEN"]],
      );
    });
  }

  it("fails closed when step-up is not configured: nobody can decide the stage", async () => {
    Object.assign(h.bot.deps, { stepUp: undefined, stepUpSignIn: undefined });
    const before = (await stored()).request.revision;
    const text = textOf(invokeCard(await approve("maria")));
    assert.match(text, /sign-in isn't set up/);
    assert.equal(actionData(invokeCard(await approve("maria")), "approval.signIn"), undefined);
    await assertNothingRecorded(before);
  });
});

/** The same signature over a payload that now claims MFA. */
function tamper(token: string): string {
  const [head, body, signature] = token.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as Record<string, unknown>;
  claims.amr = ["pwd", "mfa"];
  return `${head}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}
