import assert from "node:assert/strict";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { decide, requestBusinessAnalyst } from "./support/flow";

describe("bot over HTTP: refused and conflicting card actions", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  let requestId: string;

  beforeEach(async () => {
    h = await startOverHttp();
    await h.channel.install("ana");
    requestId = await requestBusinessAnalyst(h);
  });
  afterEach(() => h.close());

  const approvalData = () =>
    actionData(cardOf(latestCard(h.channel, "maria", "Approval needed")), "approval.approve")!;
  const anyActivityOf = async (userId: string) => {
    await h.channel.say(userId, "help");
    return h.channel.activities(h.channel.conversationOf(userId)).at(-1)!.id;
  };
  const refusals = async () =>
    (await h.stores.audit.query({})).filter(
      (e) => e.action === "request.refused" || e.action === "cardAction.refused",
    );

  it("refuses a decision from someone who is not a stage-1 approver and changes nothing", async () => {
    const before = (await h.stores.requests.get(requestId))!.value.revision;
    const answer = await h.channel.invoke(
      "ben",
      await anyActivityOf("ben"),
      "approval.approve",
      approvalData(),
    );
    assert.match(textOf(invokeCard(answer)), /doesn't exist or isn't yours|aren't an approver/);
    assert.equal((await h.stores.requests.get(requestId))!.value.revision, before);
    assert.ok((await refusals()).length >= 1, "the refused attempt is audited");
  });

  it("refuses self-approval", async () => {
    const answer = await h.channel.invoke(
      "ana",
      await anyActivityOf("ana"),
      "approval.approve",
      approvalData(),
    );
    assert.match(textOf(invokeCard(answer)), /can't approve or deny your own request/);
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[0]!.decision, undefined);
  });

  it("records exactly one decision when two approvers click at once; the other sees who decided", async () => {
    await decide(h, "maria", "approval.approve");
    const sam = latestCard(h.channel, "sam", "Approval needed")!;
    const sara = latestCard(h.channel, "sara", "Approval needed")!;
    const [a, b] = await Promise.all([
      h.channel.invoke("sam", sam.id, "approval.approve", actionData(cardOf(sam), "approval.approve")),
      h.channel.invoke("sara", sara.id, "approval.deny", {
        ...actionData(cardOf(sara), "approval.deny"),
        decisionReason: "No",
      }),
    ]);
    await h.settle();
    const request = (await h.stores.requests.get(requestId))!.value;
    const decision = request.stages[1]!.decision!;
    const texts = [textOf(invokeCard(a)), textOf(invokeCard(b))];
    const loser = decision.by === "sam" ? texts[1]! : texts[0]!;
    const winnerName = decision.by === "sam" ? "Sam Reyes" : "Sara Lind";
    assert.match(loser, new RegExp(`Already decided\\. (Approved|Denied) by ${winnerName}`));
    const decisions = (await h.stores.audit.query({ subject: `request:${requestId}` })).filter(
      (e) => e.action === "stage.approved" || e.action === "request.denied",
    );
    assert.equal(decisions.filter((e) => e.actor === "sam" || e.actor === "sara").length, 1);
  });

  it("answers a stale card after the decision with the outcome instead of deciding again", async () => {
    const old = actionData(cardOf(latestCard(h.channel, "maria", "Approval needed")), "approval.deny")!;
    const { card } = await decide(h, "maria", "approval.approve");
    const answer = await h.channel.invoke("maria", card.id, "approval.deny", {
      ...old,
      decisionReason: "changed my mind",
    });
    assert.match(textOf(invokeCard(answer)), /Stage 1 of 2: Approved by Maria Silva/);
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[0]!.decision!.outcome, "approve");
  });

  it("refuses forged card data naming another request", async () => {
    await h.channel.say("noman", "I need access to Salesforce Sales");
    const pkg = latestCard(h.channel, "noman", "What it grants")!;
    await h.channel.invoke("noman", pkg.id, "request.form", actionData(cardOf(pkg), "request.form"));
    const form = [...h.channel.activities(h.channel.conversationOf("noman"))]
      .reverse()
      .find((x) => actionData(cardOf(x), "request.submit"))!;
    await h.channel.invoke("noman", form.id, "request.submit", actionData(cardOf(form), "request.submit"));
    await h.settle();
    const other = (await h.stores.requests.listForUser("noman"))[0]!;
    const card = latestCard(h.channel, "maria", "Approval needed")!;
    const forged = { ...actionData(cardOf(card), "approval.approve")!, requestId: other.id };
    const answer = await h.channel.invoke("maria", card.id, "approval.approve", forged);
    assert.match(textOf(invokeCard(answer)), /doesn't exist or isn't yours|aren't an approver/);
    assert.equal((await h.stores.requests.get(other.id))!.value.stages[0]!.decision, undefined);
  });

  it("refuses malformed and oversized card data with a clear card", async () => {
    const card = latestCard(h.channel, "maria", "Approval needed")!;
    const missing = await h.channel.invoke("maria", card.id, "approval.approve", { stage: 1, revision: 1 });
    assert.match(textOf(invokeCard(missing)), /no valid requestId/);
    const huge = await h.channel.invoke("maria", card.id, "approval.approve", {
      ...approvalData(),
      decisionReason: "x".repeat(5000),
    });
    assert.match(textOf(invokeCard(huge)), /Keep decisionReason under/);
    const unknown = await h.channel.invoke("maria", card.id, "approval.explode", {});
    assert.match(textOf(invokeCard(unknown)), /isn't supported/);
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[0]!.decision, undefined);
  });

  it("answers malformed activities with 400 and keeps serving", async () => {
    const post = (body: string) =>
      fetch(`${h.botUrl}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    assert.equal((await post("not json")).status, 400);
    assert.equal((await post(JSON.stringify({ text: "hi" }))).status, 400);
    assert.equal((await post(JSON.stringify([1, 2]))).status, 400);
    const noValue = await post(
      JSON.stringify({
        type: "invoke",
        name: "adaptiveCard/action",
        serviceUrl: h.channel.serviceUrl,
        from: { id: "29:maria", aadObjectId: "maria" },
        conversation: { id: h.channel.conversationOf("maria") },
        channelId: "msteams",
      }),
    );
    assert.ok(noValue.status < 500, `status ${noValue.status}`);
    await h.channel.say("ana", "help");
    assert.ok(latestCard(h.channel, "ana", "What I can do"));
  });
});
