import assert from "node:assert/strict";
import sinon from "sinon";
import { AnswersFirst } from "../../../src/app/notify/answers-first";
import type { ChannelRef, UserId } from "../../../src/domain/model";
import type { Notifier, OutgoingCard, SentCard } from "../../../src/ports/notifier";
import { createHarness } from "../../bot/support/harness";
import { openTurn } from "../../support/open-turn";
import { submitAnasRequest } from "./support/anas-request";
import { harnessSink } from "./support/harness-sink";
import { decideApproval } from "../../../src/app/decide-approval";
import { aliceAsksForAnalyst, unwrap, world } from "./support/world";

describe("answers first: notices wait for the turns being answered", () => {
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(() => clock?.restore());

  it("lets notices start at once when no turn is being answered", async () => {
    let started = false;
    await new AnswersFirst().idle().then(() => (started = true));
    assert.equal(started, true);
  });

  it("holds notices until the last of several turns is answered", async () => {
    const gate = new AnswersFirst(60_000);
    const a = openTurn(gate);
    const b = openTurn(gate);
    let started = false;
    const waiting = gate.idle().then(() => (started = true));
    a.end();
    await a.done;
    await Promise.resolve();
    assert.equal(started, false, "one turn is still being answered");
    b.end();
    await b.done;
    await waiting;
    assert.equal(started, true);
  });

  it("holds notices no longer than the longest wait under a steady stream of turns", async () => {
    clock = sinon.useFakeTimers();
    const gate = new AnswersFirst(250);
    const turn = openTurn(gate);
    let started = false;
    void gate.idle().then(() => (started = true));
    await clock.tickAsync(249);
    assert.equal(started, false);
    await clock.tickAsync(1);
    assert.equal(started, true);
    turn.end();
    await turn.done;
  });

  it("holds work that asks for a shorter longest wait no longer than that", async () => {
    clock = sinon.useFakeTimers();
    const gate = new AnswersFirst(250);
    const turn = openTurn(gate);
    let started = false;
    void gate.idle(100).then(() => (started = true));
    await clock.tickAsync(99);
    assert.equal(started, false);
    await clock.tickAsync(1);
    assert.equal(started, true);
    turn.end();
    await turn.done;
  });

  it("keeps a turn's own error for its caller and still counts it answered", async () => {
    const gate = new AnswersFirst(60_000);
    await assert.rejects(
      gate.answer(() => Promise.reject(new Error("turn failed"))),
      /turn failed/,
    );
    let started = false;
    await gate.idle().then(() => (started = true));
    assert.equal(started, true);
  });

  it("makes the notification sink send nothing while a turn is being answered", async () => {
    const h = await createHarness();
    const requestId = await submitAnasRequest(h.bot.deps);
    const sent: UserId[] = [];
    const notifier: Notifier = {
      async sendToUser(userId: UserId, _message: OutgoingCard): Promise<SentCard | undefined> {
        sent.push(userId);
        return { userId, subject: "", conversationId: `a:${userId}`, activityId: String(sent.length) };
      },
      async sendToChannel(_channel: ChannelRef, _message: OutgoingCard): Promise<void> {},
      async updateCards(): Promise<number> {
        return 0;
      },
    };
    const gate = new AnswersFirst(60_000);
    const sink = harnessSink(h, notifier, { answersFirst: gate });
    const turn = openTurn(gate);
    await sink.publish([
      { type: "StageStarted", requestId, stage: 1, approvers: ["maria"], fallbackUsed: false },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(sent, [], "nothing sent while the turn is being answered");
    turn.end();
    await turn.done;
    await sink.drain();
    assert.deepEqual(sent, ["maria"]);
  });

  it("starts a final approval's delivery once no other turn is being answered", async () => {
    const w = world();
    const gate = new AnswersFirst(60_000);
    w.deps.answersFirst = gate;
    const { id } = await aliceAsksForAnalyst(w.deps);
    const decision = { requestId: id, outcome: "approve" as const, justification: "Ok", source: "test" };
    unwrap(await decideApproval(w.deps, { ...decision, actorId: "mark", stage: 1 }));
    const otherClick = openTurn(gate);
    const final = unwrap(await decideApproval(w.deps, { ...decision, actorId: "sam", stage: 2 }));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(w.provisioner.log, [], "no grant while another click is being answered");
    assert.equal((await w.stores.requests.get(id))?.value.state, "delivering");
    otherClick.end();
    await otherClick.done;
    await final.followUp;
    assert.ok(w.provisioner.log.length > 0, "granted once the click was answered");
    assert.equal((await w.stores.requests.get(id))?.value.state, "delivered");
  });
});
