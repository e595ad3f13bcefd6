import assert from "node:assert/strict";
import { ConversationPacer } from "../../src/adapters/teams/pacing";

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
