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
    const pacer = new ConversationPacer({ perWindow: 6, windowMs: 1000, ...time });
    for (let i = 0; i < 7; i++) await pacer.run("c1", async () => i);
    assert.equal(time.waits.length, 1, "the seventh send waited for the window");
    assert.ok(time.waits[0]! > 0 && time.waits[0]! <= 1000);
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
