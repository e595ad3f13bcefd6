import assert from "node:assert/strict";
import type { LocalChannel } from "../../src/local-channel";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { decide, requestBusinessAnalyst } from "./support/flow";

/** Calls into a person's chat for the messages whose summary names `about`. */
function callsAbout(
  channel: LocalChannel,
  userId: string,
  about: string,
): { posts: number; updates: number } {
  const bot = channel
    .activities(channel.conversationOf(userId))
    .filter((a) => a.from === "bot" && String(a.activity.summary ?? "").includes(about));
  return { posts: bot.length, updates: bot.reduce((n, a) => n + a.history.length, 0) };
}

/** Each update of a message, as the JSON it carried, to find two that say the same thing. */
function identicalUpdates(channel: LocalChannel, userId: string): number {
  let repeats = 0;
  for (const a of channel.activities(channel.conversationOf(userId))) {
    const versions = [...a.history, a.activity].map((v) => JSON.stringify(v.attachments ?? v.text));
    for (let i = 1; i < versions.length; i++) if (versions[i] === versions[i - 1]) repeats += 1;
  }
  return repeats;
}

describe("bot over HTTP: calls into Teams per request lifecycle", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startOverHttp();
    for (const person of ["ana", "maria", "sam", "sara"]) await h.channel.install(person);
  });
  afterEach(() => h.close());

  it("updates no card twice with the same content, and stays within 3 calls into each approver's chat", async () => {
    await requestBusinessAnalyst(h);
    await decide(h, "maria", "approval.approve", "Needed for forecasting");
    await decide(h, "sam", "approval.approve");
    for (const person of ["ana", "maria", "sam", "sara"])
      assert.equal(
        identicalUpdates(h.channel, person),
        0,
        `${person}: no update repeats the card it replaces`,
      );
    // Maria (stage 1): the card, her stage's outcome, the final outcome; Sam and Sara (stage 2): the
    // card and the final outcome. Delivery is the requester's news, not the approvers'.
    assert.deepEqual(callsAbout(h.channel, "maria", "Business Analyst for Ana Costa"), {
      posts: 1,
      updates: 2,
    });
    for (const approver of ["sam", "sara"])
      assert.deepEqual(callsAbout(h.channel, approver, "Business Analyst for Ana Costa"), {
        posts: 1,
        updates: 1,
      });
  });
});
