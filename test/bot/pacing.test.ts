import assert from "node:assert/strict";
import { ConversationPacer } from "../../src/adapters/teams/pacing";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import { serveMessages } from "../support/over-http";
import { memoryStores } from "../support/stores";
import { buildBotWorld } from "../support/world";
import { governanceFixture, USERS } from "./fixtures/organization";
import { actionData, cardOf } from "./support/cards";

function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += Math.max(0, ms);
    },
  };
}

const throttled = (retryAfter: string) =>
  Object.assign(new Error("429"), { statusCode: 429, response: { headers: { get: () => retryAfter } } });

describe("conversation pacing", () => {
  it("keeps a conversation under Teams' per-second limit", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer({ conversationLimits: [{ count: 6, windowMs: 1000 }], ...time });
    for (let i = 0; i < 7; i++) await pacer.run("c1", async () => i);
    assert.equal(time.waits.length, 1, "the seventh send waited for the window");
    assert.ok(time.waits[0]! > 0 && time.waits[0]! <= 1000);
  });

  it("keeps one conversation under 60 messages per 30 seconds", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer(time);
    const sentAt: number[] = [];
    for (let i = 0; i < 120; i++) await pacer.run("c1", async () => sentAt.push(time.now()));
    for (let i = 0; i < sentAt.length; i++) {
      const inWindow = sentAt.filter((t) => t <= sentAt[i]! && sentAt[i]! - t < 30_000);
      assert.ok(inWindow.length <= 60, `at most 60 sends in any 30 s (send ${i})`);
      const inSecond = sentAt.filter((t) => t <= sentAt[i]! && sentAt[i]! - t < 1000);
      assert.ok(inSecond.length <= 7, `at most 7 sends in any second (send ${i})`);
    }
  });

  it("keeps all conversations together under the app-wide rate", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer(time);
    const sentAt: number[] = [];
    // One message to each of 200 people: the per-conversation limits never bind, the app limit does.
    for (let i = 0; i < 200; i++) await pacer.run(`c${i}`, async () => sentAt.push(time.now()));
    for (const at of sentAt) {
      assert.ok(sentAt.filter((t) => t <= at && at - t < 1000).length <= 50, "at most 50 sends per second");
    }
    assert.ok(time.now() >= 3000, "200 sends at under 50 per second take over 3 s");
  });

  it("counts a call where Teams does, on arrival, so slow and fast calls in a row stay under the limit", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer({ conversationLimits: [{ count: 2, windowMs: 1000 }], ...time });
    const arrivals: number[] = [];
    // The first call takes 900 ms on the wire, the others 10 ms; each reaches Teams as it ends.
    for (const latency of [900, 10, 10, 900, 10, 10]) {
      await pacer.run("c1", async () => {
        await time.sleep(latency);
        arrivals.push(time.now());
      });
    }
    for (const at of arrivals) {
      const inWindow = arrivals.filter((t) => t <= at && at - t < 1000);
      assert.ok(inWindow.length <= 2, `at most 2 arrivals in any second: ${arrivals}`);
    }
  });

  it("counts calls still on their way against the app-wide limit", async () => {
    const pacer = new ConversationPacer({ appLimits: [{ count: 2, windowMs: 300 }] });
    const arrivals: number[] = [];
    const call = (latency: number) => async () => {
      await new Promise((resolve) => setTimeout(resolve, latency));
      arrivals.push(Date.now());
    };
    // Four people at once: two slow calls take the app's slots; the next two wait until those have
    // arrived, not only until 300 ms after their slots were handed out.
    await Promise.all([
      pacer.run("a", call(250)),
      pacer.run("b", call(250)),
      pacer.run("c", call(0)),
      pacer.run("d", call(0)),
    ]);
    arrivals.sort((x, y) => x - y);
    assert.equal(arrivals.length, 4);
    for (const at of arrivals) {
      const inWindow = arrivals.filter((t) => t <= at && at - t < 300);
      assert.ok(
        inWindow.length <= 2,
        `at most 2 arrivals in any 300 ms: ${arrivals.map((t) => t - arrivals[0]!)}`,
      );
    }
  });

  it("lets a message someone reads go before a card update when the app's rate is what binds", async () => {
    const pacer = new ConversationPacer({ appLimits: [{ count: 1, windowMs: 200 }] });
    const order: string[] = [];
    await pacer.run("first", async () => order.push("first"));
    // The app's window is full: an update queued first and a message queued after it both wait.
    await Promise.all([
      pacer.run("a", async () => order.push("update"), 1, "update"),
      pacer.run("b", async () => order.push("message"), 1, "message"),
    ]);
    assert.deepEqual(order, ["first", "message", "update"]);
  });

  it("does not hold a message back behind its own chat's card update while others' messages go", async () => {
    const pacer = new ConversationPacer({ appLimits: [{ count: 1, windowMs: 150 }] });
    const order: string[] = [];
    const call = (name: string) => async () => void order.push(name);
    await pacer.run("first", call("first"));
    // Ana's status card update, then her "you now have" behind it; Ben's and Cy's messages meanwhile.
    await Promise.all([
      pacer.run("ana", call("ana: update"), 1, "update"),
      pacer.run("ana", call("ana: message")),
      pacer.run("ben", call("ben: message")),
      pacer.run("cy", call("cy: message")),
    ]);
    assert.deepEqual(order, ["first", "ana: update", "ben: message", "cy: message", "ana: message"]);
  });

  it("gives the app's slots to calls in the order they came, among messages and among updates", async () => {
    const pacer = new ConversationPacer({ appLimits: [{ count: 1, windowMs: 100 }] });
    const order: string[] = [];
    const call = (name: string) => async () => void order.push(name);
    await pacer.run("first", call("first"));
    await Promise.all([
      ...["a", "b", "c"].map((c) => pacer.run(`u${c}`, call(`update ${c}`), 1, "update")),
      ...["a", "b", "c"].map((c) => pacer.run(`m${c}`, call(`message ${c}`))),
    ]);
    assert.deepEqual(order, [
      "first",
      "message a",
      "message b",
      "message c",
      "update a",
      "update b",
      "update c",
    ]);
  });

  it("lets one call that makes more calls than a window allows go, one window apart, instead of waiting forever", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer({
      conversationLimits: [{ count: 1, windowMs: 1000 }],
      appLimits: [{ count: 1, windowMs: 1000 }],
      ...time,
    });
    // A turn sending three activities at once takes three slots before its one HTTP call.
    assert.equal(await pacer.run("c1", async () => "sent", 3), "sent");
    assert.ok(time.now() >= 2000, "its slots were a window apart");
  });

  it("honours Retry-After on a 429 and then succeeds", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer(time);
    let calls = 0;
    const result = await pacer.run("c1", async () => {
      calls += 1;
      if (calls === 1) throw throttled("2");
      return "sent";
    });
    assert.equal(result, "sent");
    assert.ok(time.waits[0]! >= 2000 && time.waits[0]! < 2200);
  });

  it("gives up after its retries and does not retry other errors", async () => {
    const pacer = new ConversationPacer({ ...fakeTime(), retries: 2 });
    let calls = 0;
    await assert.rejects(pacer.run("c1", async () => ((calls += 1), Promise.reject(throttled("1")))));
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(pacer.run("c1", async () => ((calls += 1), Promise.reject(new Error("400")))));
    assert.equal(calls, 1);
  });
});

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
