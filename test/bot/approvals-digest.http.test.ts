import assert from "node:assert/strict";
import { submitRequest } from "../../src/app/submit-request";
import { decideApproval } from "../../src/app/decide-approval";
import type { AccessRequest } from "../../src/domain/model";
import type { RecordedActivity } from "../../src/local-channel";
import { governanceFixture } from "./fixtures/organization";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { type Card, actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";

/** The toggles of a digest card, by request id: what "selecting" a row switches on. */
function toggles(card: Card | undefined): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "Input.Toggle") found.set(String(n.id).replace(/^pick_/, ""), String(n.valueOn));
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The inputs Teams sends with a digest button when `selected` rows are switched on. */
function selecting(card: Card | undefined, selected: string[], reason = ""): Record<string, unknown> {
  const inputs: Record<string, unknown> = { digestReason: reason };
  for (const [requestId, on] of toggles(card))
    inputs[`pick_${requestId}`] = selected.includes(requestId) ? on : "no";
  return inputs;
}

describe("bot over HTTP: the approvals digest of a busy approver", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  /** Business Analyst for Ana, Ben and Lola, and Salesforce Sales for Ana: four wait for Maria. */
  let ba: Record<"ana" | "ben" | "lola", string>;
  let sales: string;

  async function ask(actorId: string, packageId: string): Promise<string> {
    const submitted = await submitRequest(h.bot.deps, {
      actorId,
      packageId,
      justification: `Month-end work for ${actorId}`,
      answers: packageId === "pkg-ba" ? { costCenter: "CC-1234" } : {},
      source: "test",
    });
    assert.ok(submitted.ok, JSON.stringify(!submitted.ok && submitted.error));
    return submitted.value.request.id;
  }

  const stored = async (id: string): Promise<AccessRequest> => (await h.stores.requests.get(id))!.value;

  async function digestOf(userId: string, phrase = "my approvals"): Promise<RecordedActivity> {
    await h.channel.say(userId, phrase);
    const digest = latestCard(h.channel, userId, /Waiting for your approval|Nothing is waiting/);
    assert.ok(digest, `${userId} got a digest`);
    return digest;
  }

  beforeEach(async () => {
    h = await startOverHttp();
    for (const person of ["ana", "ben", "lola", "maria", "sam", "sara", "noman"])
      await h.channel.install(person);
    ba = {
      ana: await ask("ana", "pkg-ba"),
      ben: await ask("ben", "pkg-ba"),
      lola: await ask("lola", "pkg-ba"),
    };
    sales = await ask("ana", "pkg-sales");
    await h.settle();
  });
  afterEach(() => h.close());

  it("lists every request waiting for the approver: requester, package, stage, justification, waiting since", async () => {
    const digest = await digestOf("maria", "approvals digest");
    const text = textOf(cardOf(digest));
    assert.match(text, /Waiting for your approval \(4\)/);
    assert.match(text, /Business Analyst: Ana Costa/);
    assert.match(text, /Business Analyst: Ben Okafor/);
    assert.match(text, /Business Analyst: Lola Martin/);
    assert.match(text, /Salesforce Sales: Ana Costa/);
    assert.match(text, /Stage 1 of 2\. Waiting since \{\{DATE\(/);
    assert.match(text, /Justification: Month-end work for ben/);
    assert.deepEqual([...toggles(cardOf(digest)).keys()].sort(), [ba.ana, ba.ben, ba.lola, sales].sort());
    assert.ok(actionData(cardOf(digest), "digest.approveSelected"));
    assert.ok(actionData(cardOf(digest), "digest.denySelected"));
    // "my approvals" is the same card; someone with nothing to decide is told so.
    assert.match(textOf(cardOf(await digestOf("maria"))), /Waiting for your approval \(4\)/);
    assert.match(textOf(cardOf(await digestOf("ben"))), /Nothing is waiting for you/);
  });

  it("approves the selected requests with one reason, and each requester hears of it", async () => {
    const digest = await digestOf("maria");
    const answer = await h.channel.invoke(
      "maria",
      digest.id,
      "digest.approveSelected",
      selecting(cardOf(digest), [ba.ana, ba.ben], "Quarter close"),
    );
    await h.settle();
    const text = textOf(invokeCard(answer));
    assert.match(text, /Approved: Business Analyst for Ana Costa/);
    assert.match(text, /Approved: Business Analyst for Ben Okafor/);
    assert.match(text, /Waiting for your approval \(2\)/, "the rest stays on the card");
    for (const id of [ba.ana, ba.ben]) {
      const r = await stored(id);
      assert.equal(r.currentStage, 1, "stage 2 started");
      assert.deepEqual(
        {
          by: r.stages[0]!.decision!.by,
          outcome: r.stages[0]!.decision!.outcome,
          why: r.stages[0]!.decision!.justification,
        },
        { by: "maria", outcome: "approve", why: "Quarter close" },
      );
    }
    assert.equal((await stored(ba.lola)).stages[0]!.decision, undefined, "Lola's was not selected");
    assert.ok(latestCard(h.channel, "ana", "Stage 1 approved"), "Ana is told");
    assert.ok(latestCard(h.channel, "ben", "Stage 1 approved"), "Ben is told");
    assert.equal(latestCard(h.channel, "lola", "Stage 1 approved"), undefined);
    // Security's approvers now have Ana's and Ben's requests.
    assert.match(textOf(cardOf(await digestOf("sam"))), /Waiting for your approval \(2\)/);
  });

  it("denies the selected requests with the reason, and refuses without one where the stage requires it", async () => {
    const config = governanceFixture();
    config.policies.find((p) => p.id === "pol-sales")!.approval.stages[0]!.approverJustificationRequired =
      true;
    await h.stores.governance.save(config);
    const digest = await digestOf("maria");
    assert.match(textOf(cardOf(digest)), /Stage 1 of 1, reason required/);

    const approve = await h.channel.invoke(
      "maria",
      digest.id,
      "digest.approveSelected",
      selecting(cardOf(digest), [sales, ba.ana]),
    );
    const approved = textOf(invokeCard(approve));
    assert.match(approved, /Not decided, a reason is required: Salesforce Sales for Ana Costa/);
    assert.match(approved, /Approved: Business Analyst for Ana Costa/, "the other one went through");
    assert.equal((await stored(sales)).state, "pendingApproval");

    const deny = await h.channel.invoke(
      "maria",
      digest.id,
      "digest.denySelected",
      selecting(cardOf(digest), [sales, ba.lola], "Not this quarter"),
    );
    await h.settle();
    const denied = textOf(invokeCard(deny));
    assert.match(denied, /Denied: Salesforce Sales for Ana Costa/);
    assert.match(denied, /Denied: Business Analyst for Lola Martin/);
    for (const id of [sales, ba.lola]) {
      const r = await stored(id);
      assert.equal(r.state, "denied");
      assert.equal(r.stages[0]!.decision!.justification, "Not this quarter");
    }
    assert.match(textOf(cardOf(latestCard(h.channel, "lola", "Request denied"))), /Reason: Not this quarter/);
  });

  it("shows a request someone else decided first as already decided, and changes nothing", async () => {
    await decideApproval(h.bot.deps, {
      actorId: "maria",
      requestId: ba.ana,
      stage: 1,
      outcome: "approve",
      justification: "",
      source: "test",
    });
    await h.settle();
    const digest = await digestOf("sara");
    const row = actionData(cardOf(digest), "digest.approve")!;
    assert.equal(row.requestId, ba.ana);
    await decideApproval(h.bot.deps, {
      actorId: "sam",
      requestId: ba.ana,
      stage: 2,
      outcome: "deny",
      justification: "No SoD sign-off",
      source: "test",
    });
    await h.settle();

    const one = await h.channel.invoke("sara", digest.id, "digest.approve", { ...row, digestReason: "" });
    assert.match(
      textOf(invokeCard(one)),
      /Already decided: Business Analyst for Ana Costa\. Denied by Sam Reyes at .*No SoD sign-off/,
    );
    const many = await h.channel.invoke(
      "sara",
      digest.id,
      "digest.approveSelected",
      selecting(cardOf(digest), [ba.ana]),
    );
    assert.match(textOf(invokeCard(many)), /Already decided: Business Analyst for Ana Costa/);
    const r = await stored(ba.ana);
    assert.equal(r.state, "denied");
    assert.equal(r.stages[1]!.decision!.by, "sam");
  });

  it("changes nothing on a digest action forged by someone who is not an approver, or by the requester", async () => {
    const maria = await digestOf("maria");
    const forged = selecting(cardOf(maria), [ba.lola, sales], "approved by me");
    const before = JSON.stringify([await stored(ba.lola), await stored(sales)]);

    // Noman writes to the bot and sends Maria's toggles; Ana tries her own request.
    const noman = await digestOf("noman");
    const stranger = await h.channel.invoke("noman", noman.id, "digest.approveSelected", forged);
    assert.match(textOf(invokeCard(stranger)), /Not decided: Request /);
    assert.doesNotMatch(
      textOf(invokeCard(stranger)),
      /Lola Martin|Salesforce Sales/,
      "nothing about requests not theirs",
    );
    const ana = await digestOf("ana");
    const self = await h.channel.invoke("ana", ana.id, "digest.approveSelected", forged);
    assert.match(
      textOf(invokeCard(self)),
      /Not decided: Salesforce Sales for Ana Costa: You can't approve or deny your own request/,
    );
    await h.settle();

    assert.equal(JSON.stringify([await stored(ba.lola), await stored(sales)]), before);
    const refused = (await h.stores.audit.query({ limit: 200 })).filter(
      (e) => e.action === "cardAction.refused",
    );
    assert.ok(refused.some((e) => e.actor === "noman" && e.subject === `request:${ba.lola}`));
    assert.ok(refused.some((e) => e.actor === "ana" && e.subject === `request:${sales}`));
  });
});
