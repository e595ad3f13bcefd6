import assert from "node:assert/strict";
import { NotificationSink } from "../../src/app/notify/notification-sink";
import { submitRequest } from "../../src/app/submit-request";
import type { LocalChannel, RecordedActivity } from "../../src/local-channel";
import { notificationViews } from "../../src/views/notification-views";
import { type BotWorldOverHttp, startBotWorld } from "../support/over-http";
import { memoryStores } from "../support/stores";
import { governanceFixture } from "./fixtures/organization";
import { cardOf, textOf } from "./support/cards";

const DIGEST = { windowMs: 1_000, threshold: 3 };

/** The bot's messages in a person's chat that are approval cards, and those that are digests. */
function approverChat(channel: LocalChannel, userId: string) {
  const bot = channel.activities(channel.conversationOf(userId)).filter((a) => a.from === "bot");
  const is = (a: RecordedActivity, title: RegExp) => title.test(textOf(cardOf(a)));
  return {
    cards: bot.filter((a) => is(a, /^Approval needed/m)),
    digests: bot.filter((a) => is(a, /^Waiting for your approval/m)),
  };
}

describe("bot over HTTP: a burst of requests for one approver", function () {
  this.timeout(30_000);
  let h: BotWorldOverHttp;

  const ask = async (actorId: string, packageId: string) => {
    const submitted = await submitRequest(h.bot.deps, {
      actorId,
      packageId,
      justification: `Needed by ${actorId}`,
      answers: packageId === "pkg-ba" ? { costCenter: "CC-1234" } : {},
      source: "test",
    });
    assert.ok(submitted.ok);
    return submitted.value.request.id;
  };

  beforeEach(async () => {
    h = await startBotWorld({ stores: memoryStores(governanceFixture()), bot: { approvalDigest: DIGEST } });
    for (const person of ["ana", "ben", "lola", "maria"]) await h.channel.install(person);
  });
  afterEach(() => h.close());

  it("sends one digest for the burst instead of a card each, and updates it in place as more arrive", async () => {
    const ids = await Promise.all([
      ask("ana", "pkg-ba"),
      ask("ben", "pkg-ba"),
      ask("lola", "pkg-ba"),
      ask("ana", "pkg-sales"),
      ask("ben", "pkg-sales"),
    ]);
    await h.settle();
    let chat = approverChat(h.channel, "maria");
    // One or two requests are a card each, as always; the burst beyond them is one digest.
    assert.equal(chat.cards.length, DIGEST.threshold - 1, "the first cards before the burst");
    assert.equal(chat.digests.length, 1, "one digest, not a card per request");
    assert.match(textOf(cardOf(chat.digests[0])), /Waiting for your approval \(5\)/, "it lists all five");
    const posts = chat.cards.length + chat.digests.length;

    // One more while the digest is fresh: the same digest is updated, nothing new is posted.
    ids.push(await ask("lola", "pkg-sales"));
    await h.settle();
    chat = approverChat(h.channel, "maria");
    assert.equal(chat.cards.length + chat.digests.length, posts, "no new message");
    assert.match(textOf(cardOf(chat.digests[0])), /Waiting for your approval \(6\)/);
    assert.equal(chat.digests[0]!.history.length, 1, "updated once, in place");

    // Every request's journaled batch counts its approval card as sent, with the digest's activity.
    for (const id of ids) {
      const request = (await h.stores.requests.get(id))!.value;
      const batchId = request.effectBatchIds!.at(-1)!;
      const rows = await h.stores.deliveries.listBatch(batchId);
      const maria = rows.find((r) => r.key.endsWith("|user|maria"));
      assert.ok(maria, `${id}: maria's card is logged`);
    }
    assert.equal(
      (await h.stores.due.listDue("2100-01-01T00:00:00.000Z", 100)).filter((d) => d.value.kind === "effects")
        .length,
      0,
      "no batch left due",
    );
  });

  it("after a restart, a batch run again updates the open digest rather than posting another", async () => {
    const ids = await Promise.all([ask("ana", "pkg-ba"), ask("ben", "pkg-ba"), ask("lola", "pkg-ba")]);
    await h.settle();
    const before = approverChat(h.channel, "maria");
    assert.equal(before.digests.length, 1);

    // A new process (nothing in memory) runs the stage-start batch of the last request again, as
    // the sweep does after a crash before its sends were logged.
    const restarted = new NotificationSink({
      sources: h.bot.deps,
      notifier: h.bot.notifier,
      views: notificationViews,
      deliveries: h.stores.deliveries,
      due: h.stores.due,
      audit: h.stores.audit,
      logger: h.bot.deps.logger,
      digest: { ...DIGEST, reuseMs: 60_000 },
    });
    const request = (await h.stores.requests.get(ids[2]!))!.value;
    await restarted.replay({
      id: "eff-replayed",
      at: request.createdAt,
      subject: { kind: "request", id: request.id },
      events: [
        { type: "StageStarted", requestId: request.id, stage: 1, approvers: ["maria"], fallbackUsed: false },
      ],
      item: {
        kind: "effects",
        dueAt: request.createdAt,
        subjectId: `request:${request.id}`,
        discriminator: "eff-replayed",
      },
    });
    const after = approverChat(h.channel, "maria");
    assert.equal(
      after.cards.length + after.digests.length,
      before.cards.length + before.digests.length,
      "nothing posted twice",
    );
    assert.equal(after.digests[0]!.history.length, 1, "the digest was updated");
    const logged = await h.stores.deliveries.listBatch("eff-replayed");
    assert.deepEqual(
      logged.map((r) => [r.key, r.activityId]),
      [["0|user|maria", after.digests[0]!.id]],
    );
  });
});
