import assert from "node:assert/strict";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { requestBusinessAnalyst } from "./support/flow";

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
    // The decision is saved, then the audit trail fails: the click ends in an unexpected error.
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
    assert.ok(failed, "the audit write failed");
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[0]!.decision!.by, "maria");
    assert.doesNotMatch(text, /nothing was changed/i);
    assert.match(text, /Something went wrong on our side \\\(reference [0-9a-f]{8}\\\)/);
    assert.match(text, /Approved by Maria/, "the card shows the stored decision");
  });
});
