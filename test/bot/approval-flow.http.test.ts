import assert from "node:assert/strict";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { decide, requestBusinessAnalyst } from "./support/flow";

const FINANCE_CHANNEL = "19:finance-access@thread.tacv2";

describe("bot over HTTP: the seed's test plan", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startOverHttp();
    await h.channel.installTeam("team-finance", [{ id: FINANCE_CHANNEL, name: "Access" }]);
    await h.channel.install("ana");
  });
  afterEach(() => h.close());

  it("delivers Business Analyst after the manager and security approve, and every copy shows the outcome", async () => {
    const requestId = await requestBusinessAnalyst(h);

    const first = await decide(h, "maria", "approval.approve", "Needed for forecasting");
    assert.match(textOf(invokeCard(first.result)), /Stage 1 of 2: Approved by Maria Silva/);
    assert.match(
      textOf(cardOf(latestCard(h.channel, "ana", "Stage 1 approved"))),
      /Next: Sam Reyes and Sara Lind/,
    );

    // Both security approvers got the stage-2 card; the first one decides.
    assert.ok(latestCard(h.channel, "sara", "Approval needed"));
    await decide(h, "sam", "approval.approve");

    const request = (await h.stores.requests.get(requestId))!.value;
    assert.equal(request.state, "delivered");
    assert.match(
      textOf(cardOf(latestCard(h.channel, "ana", "You now have"))),
      /You now have Business Analyst/,
    );
    assert.equal(h.provisioner.applied.filter((op) => op.action === "grant").length, 2);

    const post = h.channel.channelActivities(FINANCE_CHANNEL).at(-1);
    assert.match(textOf(cardOf(post)), /Ana Costa got Business Analyst until/);

    for (const approver of ["maria", "sam", "sara"]) {
      const copies = h.channel
        .activities(h.channel.conversationOf(approver))
        .filter((a) => textOf(cardOf(a)).includes("Business Analyst for Ana Costa"));
      assert.ok(copies.length >= 1, `${approver}'s copy was updated`);
      const text = textOf(cardOf(copies.at(-1)));
      assert.match(text, /Approved by Sam Reyes/);
      assert.equal(actionData(cardOf(copies.at(-1)), "approval.approve"), undefined, "no buttons left");
    }
    // The requester's card followed the request all the way.
    const status = await h.stores.conversations.listCards(`status:${requestId}`);
    assert.equal(status.length, 1);
    assert.match(textOf(cardOf(h.channel.store.get(status[0]!.activityId))), /Delivered/);
  });

  it("ends the request when the manager denies at stage 1, telling the requester why", async () => {
    const requestId = await requestBusinessAnalyst(h);
    const { result } = await decide(h, "maria", "approval.deny", "Not in your role");
    assert.match(textOf(invokeCard(result)), /Denied by Maria Silva .*Not in your role/);
    assert.equal((await h.stores.requests.get(requestId))!.value.state, "denied");
    assert.match(textOf(cardOf(latestCard(h.channel, "ana", "Request denied"))), /Reason: Not in your role/);
    assert.equal(latestCard(h.channel, "sam", "Approval needed"), undefined, "stage 2 never started");
    assert.equal(h.provisioner.applied.length, 0);
  });
});
