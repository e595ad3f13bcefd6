import assert from "node:assert/strict";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import { serveMessages } from "../support/over-http";
import { memoryStores } from "../support/stores";
import { buildBotWorld } from "../support/world";
import { governanceFixture, USERS } from "./fixtures/organization";
import { actionData, cardOf } from "./support/cards";

describe("turn replies go through the pacer", function () {
  this.timeout(20_000);
  const WINDOW_MS = 700;

  /** The bot over HTTP with a pacer allowing 2 calls per 700 ms into a conversation. */
  async function start() {
    const channel = createLocalChannel({
      botEndpoint: "http://127.0.0.1:1/api/messages",
      personas: USERS.map((u) => ({ id: u.id, displayName: u.displayName, role: "user" })),
    });
    await channel.listen();
    const world = buildBotWorld({
      stores: memoryStores(governanceFixture()),
      bot: {
        serviceUrl: channel.serviceUrl,
        pacing: { conversationLimits: [{ count: 2, windowMs: WINDOW_MS }] },
      },
    });
    const served = await serveMessages(world.bot.handleMessages);
    channel.botEndpoint = served.endpoint;
    // When each bot call reached the channel, by conversation.
    const arrivals = new Map<string, number[]>();
    channel.store.onEvent((e) => {
      if (e.type !== "activity" || e.kind === "view") return;
      if (channel.store.get(e.activityId)?.from !== "bot") return;
      arrivals.set(e.conversationId, [...(arrivals.get(e.conversationId) ?? []), Date.now()]);
    });
    return {
      channel,
      world,
      arrivals,
      async close() {
        await served.close();
        await channel.close();
      },
    };
  }

  /** Calls within any span of 500 ms, measured at the channel: slots are 700 ms apart at the pacer, and
   * a call's HTTP time (first calls are slow) moves its arrival by up to ~200 ms. */
  const mostInWindow = (times: number[]) =>
    Math.max(0, ...times.map((t) => times.filter((u) => u <= t && t - u < 500).length));

  it("keeps a person's own replies and the notices sent to them together under the conversation's limits", async () => {
    const h = await start();
    try {
      await h.channel.install("ana");
      const notice = h.world.bot.notifier.sendToUser("ana", { card: { type: "AdaptiveCard" }, summary: "n" });
      for (let i = 0; i < 3; i++) await h.channel.say("ana", "help");
      await notice;
      const times = h.arrivals.get(h.channel.conversationOf("ana")) ?? [];
      assert.equal(times.length, 5, "welcome, notice and three answers");
      assert.ok(mostInWindow(times) <= 2, `at most 2 calls in 500 ms: ${times.map((t) => t - times[0]!)}`);
      assert.ok(times.at(-1)! - times[0]! >= WINDOW_MS, "the later calls waited for the window");
    } finally {
      await h.close();
    }
  });

  it("does not hold back an invoke's answer, which is not a call into the conversation", async () => {
    const h = await start();
    try {
      await h.channel.install("ana");
      await h.channel.say("ana", "I need access to Business Analyst");
      // Both slots of the window are taken now; a click that only answers (here: a package that
      // does not exist) gets its card back in the invoke's own HTTP response, not as a call.
      const card = latestWithVerb(h.channel, "ana", "request.form");
      const t0 = Date.now();
      const answer = await h.channel.invoke("ana", card.id, "request.form", {
        ...card.data,
        packageId: "pkg-unknown",
      });
      assert.equal(answer.status, 200);
      assert.equal((answer.body as { type?: string }).type, "application/vnd.microsoft.card.adaptive");
      assert.ok(Date.now() - t0 < WINDOW_MS / 2, "answered without waiting for a slot");
    } finally {
      await h.close();
    }
  });
});

/** The latest card in the person's chat with a button for `verb`, and that button's data. */
function latestWithVerb(channel: LocalChannel, userId: string, verb: string) {
  for (const a of [...channel.activities(channel.conversationOf(userId))].reverse()) {
    const data = actionData(cardOf(a), verb);
    if (data) return { id: a.id, data };
  }
  throw new Error(`no card with ${verb}`);
}
