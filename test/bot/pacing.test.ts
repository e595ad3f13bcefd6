import assert from "node:assert/strict";
import { ConversationPacer } from "../../src/adapters/teams/pacing";
import { SupersededNotice } from "../../src/ports/notifier";

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

  it("lets a message go before its own chat's waiting card update, and others' messages too", async () => {
    const pacer = new ConversationPacer({ appLimits: [{ count: 1, windowMs: 150 }] });
    const order: string[] = [];
    const call = (name: string) => async () => void order.push(name);
    await pacer.run("first", call("first"));
    // Ana's status card update, then her "you now have"; Ben's and Cy's messages meanwhile.
    await Promise.all([
      pacer.run("ana", call("ana: update"), 1, "update"),
      pacer.run("ana", call("ana: message")),
      pacer.run("ben", call("ben: message")),
      pacer.run("cy", call("cy: message")),
    ]);
    assert.deepEqual(order, ["first", "ana: message", "ben: message", "cy: message", "ana: update"]);
  });

  it("sends a notice of progress after others' messages, and before card updates, when the app's rate binds", async () => {
    const pacer = new ConversationPacer({ appLimits: [{ count: 1, windowMs: 120 }] });
    const order: string[] = [];
    const call = (name: string) => async () => void order.push(name);
    await pacer.run("first", call("first"));
    await Promise.all([
      pacer.run("ana", call("ana: update"), 1, "update"),
      pacer.run("ben", call("ben: stage approved"), 1, "progress"),
      pacer.run("cy", call("cy: you now have")),
    ]);
    assert.deepEqual(order, ["first", "cy: you now have", "ben: stage approved", "ana: update"]);
  });

  it("does not hold a message back behind a progress notice in its own chat, and keeps their order", async () => {
    const pacer = new ConversationPacer({ appLimits: [{ count: 1, windowMs: 120 }] });
    const order: string[] = [];
    const call = (name: string) => async () => void order.push(name);
    await pacer.run("first", call("first"));
    await Promise.all([
      pacer.run("ana", call("ana: stage approved"), 1, "progress"),
      pacer.run("ana", call("ana: you now have")),
      pacer.run("ben", call("ben: you now have")),
      pacer.run("cy", call("cy: stage approved"), 1, "progress"),
    ]);
    assert.deepEqual(order, [
      "first",
      "ana: stage approved",
      "ben: you now have",
      "ana: you now have",
      "cy: stage approved",
    ]);
  });

  it("drops a waiting call once it is no longer wanted, without running it or taking a slot", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer({ appLimits: [{ count: 1, windowMs: 200 }], ...time });
    const sentAt: Record<string, number> = {};
    const call = (name: string) => async () => void (sentAt[name] = time.now());
    await pacer.run("first", call("first"));
    let wanted = true;
    const progress = pacer.run("ana", call("ana: stage approved"), 1, "progress", () => wanted);
    const outcome = pacer.run("ana", call("ana: you now have"));
    wanted = false;
    pacer.recheck();
    await assert.rejects(progress, SupersededNotice);
    await outcome;
    await pacer.run("ben", call("ben: you now have"));
    // One slot per 200 ms: the outcome took the second, Ben the third; the dropped notice none.
    assert.deepEqual(sentAt, { first: 0, "ana: you now have": 200, "ben: you now have": 400 });
  });

  it("keeps a chat's messages in order, and its updates in order, under its own limit", async () => {
    const time = fakeTime();
    const pacer = new ConversationPacer({
      conversationLimits: [{ count: 1, windowMs: 1000 }],
      sleep: time.sleep,
      now: time.now,
    });
    const order: string[] = [];
    const call = (name: string) => async () => void order.push(name);
    await Promise.all([
      pacer.run("ana", call("update 1"), 1, "update"),
      pacer.run("ana", call("message 1")),
      pacer.run("ana", call("update 2"), 1, "update"),
      pacer.run("ana", call("message 2")),
    ]);
    assert.deepEqual(
      order.filter((o) => o.startsWith("message")),
      ["message 1", "message 2"],
    );
    assert.deepEqual(
      order.filter((o) => o.startsWith("update")),
      ["update 1", "update 2"],
    );
    assert.deepEqual(order.slice(0, 2), ["update 1", "message 1"], "the first update was alone at the start");
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
