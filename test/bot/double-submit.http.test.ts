import assert from "node:assert/strict";
import { memoryStores } from "../support/stores";
import { startBotWorld } from "../support/over-http";
import { governanceFixture } from "./fixtures/organization";
import type { HttpHarness } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, latestWithAction, textOf } from "./support/cards";
import { decide } from "./support/flow";

const FINANCE_CHANNEL = "19:finance-access@thread.tacv2";

describe("bot over HTTP: one request, one assignment, whatever the clicks", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  /** While set, a read of a person's requests waits (with its answer) until the other one read too. */
  let barrier: { arrived: number; open: () => void; opened: Promise<void> } | undefined;

  beforeEach(async () => {
    // Two clicks at the same moment both read "no open request" before either stores one: the
    // answer to the first read is held until the second has read.
    const stores = memoryStores(governanceFixture());
    const listForUser = stores.requests.listForUser.bind(stores.requests);
    stores.requests.listForUser = async (userId, limit) => {
      const answer = await listForUser(userId, limit);
      if (barrier) {
        barrier.arrived += 1;
        if (barrier.arrived >= 2) barrier.open();
        await Promise.race([barrier.opened, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      }
      return answer;
    };
    const world = await startBotWorld({ stores });
    h = { ...world, botUrl: world.url };
    await h.channel.installTeam("team-finance", [{ id: FINANCE_CHANNEL, name: "Access" }]);
    await h.channel.install("ana");
  });
  afterEach(() => h.close());

  it("answers a second Submit racing the first with the first request's status card, and grants once", async () => {
    const { channel } = h;
    await channel.say("ana", "I need access to Business Analyst");
    const pkg = latestCard(channel, "ana", "What it grants")!;
    await channel.invoke("ana", pkg.id, "request.form", actionData(cardOf(pkg), "request.form")!);
    const form = latestWithAction(channel, "ana", "request.submit")!;
    const data = {
      ...actionData(cardOf(form), "request.submit")!,
      justification: "Quarterly forecasting",
      q_costCenter: "CC-1234",
    };

    let open!: () => void;
    barrier = { arrived: 0, open: () => open(), opened: new Promise<void>((resolve) => (open = resolve)) };
    const answers = await Promise.all([
      channel.invoke("ana", form.id, "request.submit", data),
      channel.invoke("ana", form.id, "request.submit", data),
    ]);
    barrier = undefined;
    await h.settle();

    const requests = await h.stores.requests.listForUser("ana");
    assert.equal(requests.length, 1, `requests: ${requests.map((r) => r.id).join(", ")}`);
    const requestId = requests[0]!.id;
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      const card = invokeCard(answer);
      assert.match(textOf(card), /Request submitted: Business Analyst/);
      assert.equal(actionData(card, "request.cancel")?.requestId, requestId, "the first request's card");
    }
    const approvalCards = channel
      .activities(channel.conversationOf("maria"))
      .filter((a) => textOf(cardOf(a)).includes("Approval needed"));
    assert.equal(approvalCards.length, 1, "the manager is asked once");

    await decide(h, "maria", "approval.approve", "Needed for forecasting");
    await decide(h, "sam", "approval.approve");

    assert.equal((await h.stores.requests.get(requestId))!.value.state, "delivered");
    const assignments = await h.stores.assignments.listForUser("ana");
    assert.equal(assignments.length, 1);
    const youNowHave = channel
      .activities(channel.conversationOf("ana"))
      .filter((a) => textOf(cardOf(a)).includes("You now have Business Analyst"));
    assert.equal(youNowHave.length, 1);
    const posts = channel
      .channelActivities(FINANCE_CHANNEL)
      .filter((a) => /Ana Costa got Business Analyst/.test(textOf(cardOf(a))));
    assert.equal(posts.length, 1);
    assert.equal(h.provisioner.applied.filter((op) => op.action === "grant").length, 2);
  });
});
