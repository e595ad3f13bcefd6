import assert from "node:assert/strict";
import { verifyAudit } from "../../src/app/audit";
import { REFUSALS_PER_WINDOW } from "../../src/app/audit/refusals";
import { type HttpHarness, startOverHttp } from "../bot/support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "../bot/support/cards";
import { decide, requestBusinessAnalyst } from "../bot/support/flow";

describe("bot over HTTP: every refusal is audited, once, with the actor and the reason", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  let requestId: string;

  beforeEach(async () => {
    h = await startOverHttp();
    await h.channel.install("ana");
    requestId = await requestBusinessAnalyst(h);
  });
  afterEach(() => h.close());

  const activityOf = async (userId: string) => {
    await h.channel.say(userId, "help");
    return h.channel.activities(h.channel.conversationOf(userId)).at(-1)!.id;
  };
  const refusalsBy = async (actor: string) =>
    (await h.stores.audit.query({ limit: 1000 })).filter(
      (e) => e.actor === actor && e.action === "cardAction.refused",
    );

  it("records the justification and the answers on request.submitted", async () => {
    const [submitted] = (await h.stores.audit.query({ subject: `request:${requestId}` })).filter(
      (e) => e.action === "request.submitted",
    );
    assert.equal(submitted?.reason, "Quarterly forecasting");
    assert.equal(submitted?.details?.["answer.costCenter"], "CC-1234");
  });

  it("audits someone else's attempt to cancel a request, and the request stays open", async () => {
    const answer = await h.channel.invoke("ben", await activityOf("ben"), "request.cancel", { requestId });
    assert.equal(answer.status, 200);
    assert.notEqual((await h.stores.requests.get(requestId))!.value.state, "canceled");
    const [refused] = await refusalsBy("ben");
    assert.equal(refused?.subject, `request:${requestId}`);
    assert.ok(refused?.details?.code, "the refusal names its code");
    assert.ok(refused?.reason, "the refusal says why");
  });

  it("audits someone else's attempt to remove or extend access", async () => {
    await decide(h, "maria", "approval.approve");
    await decide(h, "sam", "approval.approve");
    const [assignment] = await h.stores.assignments.listForUser("ana");
    assert.ok(assignment, "ana has the access");
    const at = await activityOf("ben");
    await h.channel.invoke("ben", at, "assignment.remove", { assignmentId: assignment.id });
    await h.channel.invoke("ben", at, "assignment.extend", {
      assignmentId: assignment.id,
      extendReason: "mine now",
    });
    assert.equal((await h.stores.assignments.get(assignment.id))!.value.state, assignment.state);
    const refused = await refusalsBy("ben");
    assert.deepEqual(
      refused.map((e) => e.subject),
      [`assignment:${assignment.id}`, `assignment:${assignment.id}`],
    );
  });

  it("audits a forged on-behalf reference and an unknown verb", async () => {
    const pkg = latestCard(h.channel, "ana", "What it grants")!;
    const form = actionData(cardOf(pkg), "request.form")!;
    const forged = await h.channel.invoke("ana", pkg.id, "request.form", {
      ...form,
      forRef: "ref-not-a-report",
    });
    assert.match(textOf(invokeCard(forged)), /isn't your direct report/);
    await h.channel.invoke("ana", pkg.id, "package.delete", { packageId: "business-analyst" });
    const refused = await refusalsBy("ana");
    assert.deepEqual(refused.map((e) => e.details?.code).sort(), [
      "CARD.INVALID",
      "POLICY.ON_BEHALF_NOT_ALLOWED",
    ]);
    assert.ok(
      refused.some((e) => e.subject === "card:package.delete" && /unknown card verb/.test(e.reason ?? "")),
    );
  });

  it("audits a non-approver's click", async () => {
    const approval = actionData(
      cardOf(latestCard(h.channel, "maria", "Approval needed")),
      "approval.approve",
    )!;
    await h.channel.invoke("ben", await activityOf("ben"), "approval.approve", approval);
    assert.equal((await refusalsBy("ben")).length, 1);
  });

  it("bounds a flood of forged clicks: one notice after the limit, then nothing more is written", async () => {
    const at = await activityOf("eve");
    for (let i = 0; i < REFUSALS_PER_WINDOW + 15; i++)
      await h.channel.invoke("eve", at, "no.such.verb", { filler: "x".repeat(1000) });
    const refused = await refusalsBy("eve");
    assert.equal(refused.length, REFUSALS_PER_WINDOW + 1);
    assert.equal(refused.filter((e) => e.details?.suppressedUntil).length, 1);
    const result = await verifyAudit(h.stores.audit);
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});
