import assert from "node:assert/strict";
import { requestBusinessAnalyst } from "../bot/support/flow";
import { cardOf, latestCard, textOf } from "../bot/support/cards";
import {
  type Payload,
  type ExtensionDesk,
  type Receiver,
  SECRET,
  sign,
  startExtensionDesk,
  startReceiver,
  ticketing,
} from "./support";

const MINUTE = 60_000;

describe("custom extensions: webhooks through the outbox to a loopback receiver", function () {
  this.timeout(20_000);
  let receiver: Receiver;
  let h: ExtensionDesk;

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await h?.close();
    await receiver.close();
  });

  it("signs every call, keeps the idempotency key across retries after a 500 and a hang, then succeeds", async () => {
    h = await startExtensionDesk(ticketing(receiver.url));
    await h.channel.install("ana");
    receiver.script.push(500, "hang");
    const requestId = await requestBusinessAnalyst(h);

    await h.sweep(); // first attempt: 500
    assert.equal(receiver.received.length, 1);
    await h.sweep();
    assert.equal(receiver.received.length, 1, "the retry waits for its backoff");
    h.clock.advance(MINUTE);
    await h.sweep(); // second attempt: no answer within the 1 s timeout
    assert.equal(receiver.received.length, 2);
    h.clock.advance(2 * MINUTE);
    await h.sweep(); // third attempt: 200
    assert.equal(receiver.received.length, 3);
    h.clock.advance(60 * MINUTE);
    await h.sweep();
    assert.equal(receiver.received.length, 3, "nothing is sent after the success");

    const keys = new Set(receiver.received.map((r) => r.headers["idempotency-key"]));
    assert.equal(keys.size, 1, "one idempotency key for the event");
    for (const call of receiver.received) {
      const ts = String(call.headers["x-accessdesk-timestamp"]);
      assert.equal(call.headers["x-accessdesk-signature"], sign(ts, call.body), "the signature verifies");
      assert.notEqual(call.headers["x-accessdesk-signature"], sign(ts, call.body, "another-secret-xxxxxxxx"));
      assert.equal(call.headers["x-accessdesk-event"], "requestCreated");
    }
    const body = receiver.received[2]!.json as unknown as Payload;
    assert.equal(body.type, "requestCreated");
    assert.equal(body.id, [...keys][0]);
    assert.equal(body.request.id, requestId);
    assert.equal(body.request.justification, "Quarterly forecasting");
    assert.equal(body.accessPackage.id, "pkg-ba");
    assert.equal(body.catalog.id, "cat-finance");
    assert.equal(body.people.target.id, "ana");
    assert.equal(body.people.target.displayName, "Ana Costa");
    assert.equal(receiver.received[0]!.body, receiver.received[2]!.body, "the same body on every attempt");
    const ts = [0, 1, 2].map((i) => Number(receiver.received[i]!.headers["x-accessdesk-timestamp"]));
    assert.ok(ts[2]! > ts[0]!, "each attempt is signed at its own time");
    assert.equal(
      (await h.stores.audit.query({ limit: 100 })).filter((e) => e.action === "extension.failed").length,
      0,
    );
  });

  it("tells the catalog owner and audits when the retries are spent", async () => {
    h = await startExtensionDesk(ticketing(receiver.url));
    await h.channel.install("ana");
    await h.channel.install("maria");
    receiver.script.push(500, 502, 503, 500, 500, 500, 500);
    const requestId = await requestBusinessAnalyst(h);
    for (let i = 0; i < 8; i++) {
      await h.sweep();
      h.clock.advance(61 * MINUTE);
    }
    assert.equal(receiver.received.length, 6, "six attempts, then it stops");
    const notice = latestCard(h.channel, "maria", 'Extension "ticketing" failed');
    assert.ok(notice, "the catalog owner is told");
    assert.match(textOf(cardOf(notice)), /about requestCreated .*the endpoint answered 500/);
    const failed = (await h.stores.audit.query({ limit: 200 })).filter(
      (e) => e.action === "extension.failed",
    );
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.subject, `request:${requestId}`);
    assert.equal(failed[0]!.details?.attempts, "6");
    await h.sweep();
    assert.equal(
      h.channel
        .activities(h.channel.conversationOf("maria"))
        .filter((a) => textOf(cardOf(a)).includes("ticketing")).length,
      1,
      "told once",
    );
    void SECRET;
  });

  it("fails at once on a 4xx that asking again will not change", async () => {
    h = await startExtensionDesk(ticketing(receiver.url));
    await h.channel.install("ana");
    receiver.script.push(400);
    await requestBusinessAnalyst(h);
    await h.sweep();
    h.clock.advance(1000);
    await h.sweep();
    assert.equal(receiver.received.length, 1);
    const failed = (await h.stores.audit.query({ limit: 200 })).filter(
      (e) => e.action === "extension.failed",
    );
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.reason ?? "", /answered 400/);
  });
});
