import sinon from "sinon";
import assert from "node:assert/strict";
import { requestBusinessAnalyst } from "../bot/support/flow";
import { latestCard } from "../bot/support/cards";
import {
  type Payload,
  type CallbackReply,
  type ExtensionDesk,
  type Receiver,
  sign,
  startExtensionDesk,
  startReceiver,
  ticketing,
} from "./support";

/** POSTs a decision to a callback URL, signed like an external system would (or not). */
async function callBack(
  h: ExtensionDesk,
  url: string,
  decision: Record<string, unknown>,
  options: { secret?: string; timestamp?: number } = {},
) {
  const body = JSON.stringify(decision);
  const ts = String(options.timestamp ?? Math.floor(h.clock.now().getTime() / 1000));
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-accessdesk-timestamp": ts,
      "x-accessdesk-signature": sign(ts, body, options.secret),
    },
    body,
  });
  return { status: res.status, json: (await res.json()) as CallbackReply };
}

describe("custom extensions: an approval extension decides a stage over HTTP", function () {
  this.timeout(20_000);
  let receiver: Receiver;
  let h: ExtensionDesk;

  beforeEach(async () => {
    receiver = await startReceiver();
    h = await startExtensionDesk(ticketing(receiver.url, { stages: [] }), { approvalStage1: true });
    await h.channel.install("ana");
    await h.channel.install("maria");
  });
  afterEach(async () => {
    await h.close();
    await receiver.close();
  });

  async function askedExtension(): Promise<{ requestId: string; url: string }> {
    const requestId = await requestBusinessAnalyst(h);
    await h.sweep();
    assert.equal(receiver.received.length, 1, "the extension was called");
    const body = receiver.received[0]!.json as unknown as Payload;
    assert.equal(body.type, "approvalRequested");
    assert.equal(body.request.id, requestId);
    assert.equal(body.stage.number, 1);
    assert.match(body.callback.url, new RegExp(`^${h.url}/api/extensions/callback/`));
    return { requestId, url: body.callback.url };
  }

  it("approves stage 1 through the callback; a replay of the same call is refused and audited", async () => {
    const { requestId, url } = await askedExtension();
    assert.ok(latestCard(h.channel, "maria", "Approval needed"), "the manager may still decide too");
    const approved = await callBack(h, url, { decision: "approve", reason: "Ticket CHG-42 approved" });
    assert.equal(approved.status, 200, `${url} ${JSON.stringify(approved.json)}`);
    assert.equal(approved.json.outcome, "approve");
    await h.settle();
    const request = (await h.stores.requests.get(requestId))!.value;
    assert.equal(request.stages[0]!.decision?.by, "extension:ticketing");
    assert.equal(request.stages[0]!.decision?.justification, "Ticket CHG-42 approved");
    assert.equal(request.currentStage, 1, "stage 2 began");

    const replay = await callBack(h, url, { decision: "approve", reason: "Ticket CHG-42 approved" });
    assert.equal(replay.status, 409);
    assert.equal(replay.json.error.code, "CALLBACK.USED");
    const audit = await h.stores.audit.query({ limit: 200 });
    assert.ok(audit.some((e) => e.action === "stage.approved" && e.actor === "extension:ticketing"));
    assert.ok(
      audit.some((e) => e.action === "extension.callbackRefused" && e.details?.code === "CALLBACK.USED"),
    );
  });

  it("two identical calls at the same moment: one decision, the other refused as used and audited", async () => {
    const { requestId, url } = await askedExtension();
    const body = { decision: "approve", reason: "Ticket CHG-43 approved" };
    // Both calls read the stage before either decides: the first two reads of the request wait
    // for each other, so the second call passes every check the first one passed.
    const requests = h.stores.requests;
    const read = requests.get.bind(requests);
    const held: Array<() => void> = [];
    const barrier = sinon.stub(requests, "get").callsFake(async (id: string) => {
      if (id === requestId && held.length < 2) {
        await new Promise<void>((release) => {
          held.push(release);
          if (held.length === 2) held.forEach((r) => r());
        });
      }
      return read(id);
    });
    const answers = await Promise.all([callBack(h, url, body), callBack(h, url, body)]).finally(() =>
      barrier.restore(),
    );
    assert.equal(held.length, 2, "both calls read the undecided stage");
    assert.deepEqual(
      answers.map((a) => a.status).sort(),
      [200, 409],
      JSON.stringify(answers.map((a) => a.json)),
    );
    await h.settle();
    const audit = await h.stores.audit.query({ limit: 200 });
    const approvals = audit.filter(
      (e) => e.action === "stage.approved" && e.subject === `request:${requestId}`,
    );
    assert.equal(approvals.length, 1, "one decision recorded");
    assert.ok(
      audit.some(
        (e) =>
          e.action === "extension.callbackRefused" &&
          e.subject === `request:${requestId}` &&
          e.details?.code === "CALLBACK.USED",
      ),
      "the second call is audited as refused",
    );
  });

  it("denies with a reason, ending the request", async () => {
    const { requestId, url } = await askedExtension();
    const denied = await callBack(h, url, { decision: "deny", reason: "No open change ticket" });
    assert.equal(denied.status, 200);
    await h.settle();
    const request = (await h.stores.requests.get(requestId))!.value;
    assert.equal(request.state, "denied");
    assert.equal(request.outcomeReason, "No open change ticket");
  });

  it("refuses a forged URL, a wrong signature, a stale timestamp and an expired window, and records nothing", async () => {
    const { requestId, url } = await askedExtension();
    const forged = await callBack(
      h,
      url.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
      { decision: "approve" },
    );
    assert.equal(forged.status, 401);
    assert.equal(forged.json.error.code, "CALLBACK.BAD_TOKEN");
    const badSig = await callBack(h, url, { decision: "approve" }, { secret: "not-the-secret-0123456789" });
    assert.equal(badSig.status, 401);
    assert.equal(badSig.json.error.code, "CALLBACK.BAD_SIGNATURE");
    const stale = await callBack(
      h,
      url,
      { decision: "approve" },
      { timestamp: Math.floor(h.clock.now().getTime() / 1000) - 3600 },
    );
    assert.equal(stale.status, 401);
    assert.equal(stale.json.error.code, "CALLBACK.STALE_SIGNATURE");
    const bad = await callBack(h, url, { decision: "maybe" });
    assert.equal(bad.status, 400);

    h.clock.advance(15 * 24 * 3600_000); // past the 14-day decision window
    const expired = await callBack(h, url, { decision: "approve" });
    assert.equal(expired.status, 410);
    assert.equal(expired.json.error.code, "CALLBACK.EXPIRED");
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[0]!.decision, undefined);
    await h.sweep(); // the stage's own window end applies
    assert.equal((await h.stores.requests.get(requestId))!.value.state, "expired");
    const refused = (await h.stores.audit.query({ limit: 200 })).filter(
      (e) => e.action === "extension.callbackRefused",
    );
    assert.deepEqual(refused.map((e) => e.details?.code).sort(), [
      "CALLBACK.BAD_BODY",
      "CALLBACK.BAD_SIGNATURE",
      "CALLBACK.BAD_TOKEN",
      "CALLBACK.EXPIRED",
      "CALLBACK.STALE_SIGNATURE",
    ]);
  });
});
