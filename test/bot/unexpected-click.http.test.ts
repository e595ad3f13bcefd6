import assert from "node:assert/strict";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { requestBusinessAnalyst } from "./support/flow";
import { effectsHandlers } from "../../src/app/notify/effects-handler";

describe("bot over HTTP: a click that fails unexpectedly after its change was saved", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  let requestId: string;

  beforeEach(async () => {
    h = await startOverHttp();
    await h.channel.install("ana");
    requestId = await requestBusinessAnalyst(h);
  });
  afterEach(() => h.close());

  it("shows the approver the card as stored, never 'nothing was changed'", async () => {
    const card = latestCard(h.channel, "maria", "Approval needed")!;
    const approve = actionData(cardOf(card), "approval.approve")!;
    // The decision is saved, then handing its notices over fails: the click ends in an unexpected error.
    const events = h.bot.deps.events;
    const publish = events.publish.bind(events);
    let failed = false;
    events.publish = async (...args) => {
      if (!failed && args[0].some((e) => e.type === "StageApproved")) {
        failed = true;
        throw new Error("storage answered 503");
      }
      return publish(...args);
    };

    const answer = await h.channel.invoke("maria", card.id, "approval.approve", {
      ...approve,
      decisionReason: "Fits the role",
    });
    const text = textOf(invokeCard(answer));
    assert.ok(failed, "handing the notices over failed");
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[0]!.decision!.by, "maria");
    assert.doesNotMatch(text, /nothing was changed/i);
    assert.match(text, /Something went wrong on our side \\\(reference [0-9a-f]{8}\\\)/);
    assert.match(text, /Approved by Maria/, "the card shows the stored decision");
  });

  it("answers before the decision's audit rows are written; rows that fail are written by the journal, once", async () => {
    const card = latestCard(h.channel, "maria", "Approval needed")!;
    const approve = actionData(cardOf(card), "approval.approve")!;
    const append = h.stores.audit.append.bind(h.stores.audit);
    let failed = false;
    h.stores.audit.append = async (entries) => {
      if (!failed && entries.some((e) => e.action === "stage.approved")) {
        failed = true;
        throw new Error("storage answered 503");
      }
      return append(entries);
    };

    const answer = await h.channel.invoke("maria", card.id, "approval.approve", {
      ...approve,
      decisionReason: "Fits the role",
    });
    const text = textOf(invokeCard(answer));
    assert.match(text, /Approved by Maria/, "the click got its decided card");
    assert.doesNotMatch(text, /Something went wrong/);
    await h.settle();
    assert.ok(failed, "the audit write failed");
    const approvedRows = async () =>
      (await h.stores.audit.query({ subject: `request:${requestId}` })).filter(
        (r) => r.action === "stage.approved",
      );
    assert.deepEqual(await approvedRows(), [], "not written yet");

    // The decision's batch is still due: its run writes the row, and a second run changes nothing.
    const due = (await h.stores.due.listDue("2100-01-01T00:00:00.000Z", 100)).filter(
      (i) => i.value.kind === "effects",
    );
    assert.equal(due.length, 1, "the batch stays due until its audit rows are in");
    for (let run = 0; run < 2; run++) await effectsHandlers.effects!(h.bot.deps, due[0]!.value);
    const rows = await approvedRows();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor, "maria");
  });
});
