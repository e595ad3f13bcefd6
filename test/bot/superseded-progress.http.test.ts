import assert from "node:assert/strict";
import type { DeliveryRecord } from "../../src/ports/deliveries";
import { startLoopbackForwarder } from "../support/loopback-forwarder";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { cardOf, latestCard, textOf } from "./support/cards";
import { decide, requestBusinessAnalyst } from "./support/flow";

const HOLD = "Please hold";

/** Waits until `ok()` holds, looking every 20 ms, for at most 10 s. */
async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting: ${what}`);
}

describe("bot over HTTP: a progress notice an outcome overtook", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  let forwarder: Awaited<ReturnType<typeof startLoopbackForwarder>>;
  let release: () => void;
  const records: Array<{ batchId: string; record: DeliveryRecord }> = [];
  const summaries: string[] = [];

  beforeEach(async () => {
    h = await startOverHttp();
    let opened!: () => void;
    const gate = new Promise<void>((resolve) => (opened = resolve));
    release = opened;
    // Teams stand-in in front of the channel: the message marked HOLD stays on the wire until
    // released, so what the bot sends into Ana's chat after it waits in her chat's queue.
    forwarder = await startLoopbackForwarder(h.channel.serviceUrl, async ({ method, body }) => {
      if (method === "POST" && body.toString().includes(HOLD)) await gate;
      return undefined;
    });
    h.channel.serviceUrl = forwarder.url;
    await h.channel.install("ana");
    records.length = 0;
    summaries.length = 0;
    const log = h.stores.deliveries;
    const record = log.record.bind(log);
    log.record = async (batchId, r) => {
      records.push({ batchId, record: r });
      return record(batchId, r);
    };
    const send = h.bot.notifier.sendToUser.bind(h.bot.notifier);
    h.bot.notifier.sendToUser = (userId, message, subject) => {
      summaries.push(`${userId}: ${message.summary}`);
      return send(userId, message, subject);
    };
  });
  afterEach(async () => {
    release();
    await h.close();
    await forwarder.close();
  });

  /** A message into Ana's chat that stays on the wire until `release`: her next ones queue behind it. */
  const holdAnasChat = () =>
    h.bot.notifier.sendToUser("ana", {
      card: { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: HOLD }] },
      summary: HOLD,
    });
  const approve = async (userId: string) => {
    const { result } = await decide(h, userId, "approval.approve", "", false);
    assert.equal(result.status, 200);
  };

  it("drops 'Stage 1 approved' still waiting when 'You now have' comes, and records it as superseded", async () => {
    const requestId = await requestBusinessAnalyst(h);
    const held = holdAnasChat();

    await approve("maria");
    await until("the stage-1 notice is queued behind the held message", () =>
      summaries.some((s) => s.startsWith("ana: Stage 1 approved")),
    );
    await until("the Security Team has its cards", () => !!latestCard(h.channel, "sam", "Approval needed"));
    await approve("sam");
    await until("'You now have' is on its way to Ana", () =>
      summaries.some((s) => s.startsWith("ana: You now have")),
    );
    release();
    await held;
    await h.settle();

    const texts = h.channel.activities(h.channel.conversationOf("ana")).map((a) => textOf(cardOf(a)));
    assert.ok(
      texts.some((t) => t.includes("You now have Business Analyst")),
      "the outcome went out",
    );
    assert.ok(!texts.some((t) => t.includes("Stage 1 approved")), "the overtaken notice did not");
    assert.equal((await h.stores.requests.get(requestId))!.value.state, "delivered");

    const superseded = records.filter((r) => r.record.status === "superseded");
    assert.deepEqual(
      superseded.map((r) => r.record.key),
      ["0|user|ana"],
      "the stage-1 batch logged its notice as superseded",
    );
    // Its batch is done: no batch of notices is left due to send it again.
    const due = await h.stores.due.listDue("9999-01-01T00:00:00.000Z", 100);
    assert.deepEqual(
      due.filter((d) => d.value.kind === "effects"),
      [],
    );
    const replay = await h.stores.deliveries.listBatch(superseded[0]!.batchId);
    assert.equal(replay.find((r) => r.key === "0|user|ana")?.status, "superseded");
  });

  it("sends 'Stage 1 approved' that nothing overtook, after the message before it", async () => {
    await requestBusinessAnalyst(h);
    const held = holdAnasChat();
    await approve("maria");
    await until("the stage-1 notice is queued", () =>
      summaries.some((s) => s.startsWith("ana: Stage 1 approved")),
    );
    release();
    await held;
    await h.settle();
    assert.ok(latestCard(h.channel, "ana", "Stage 1 approved"), "the notice went out");
    assert.equal(records.filter((r) => r.record.status === "superseded").length, 0);
  });
});
