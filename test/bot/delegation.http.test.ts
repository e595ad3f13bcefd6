import assert from "node:assert/strict";
import { parseAccessArgs, runAccessCommand } from "../../src/cli/access";
import { actionData, cardOf, invokeCard, latestCard, latestWithAction, textOf } from "./support/cards";
import { requestBusinessAnalyst } from "./support/flow";
import type { HttpHarness } from "./support/harness";
import { lastMessage, startWithRoles } from "./support/admin";

describe("bot over HTTP: an approver away delegates their approvals", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startWithRoles();
  });
  afterEach(() => h.close());

  const say = async (userId: string, text: string) => {
    await h.channel.say(userId, text);
    await h.settle();
    return textOf(cardOf(lastMessage(h, userId)));
  };

  /** Ben (who reports to Maria too) asks for Salesforce Sales: one stage, his manager. */
  async function benAsksForSales(): Promise<string> {
    await h.channel.say("ben", "I need access to Salesforce Sales");
    const pkg = latestWithAction(h.channel, "ben", "request.form")!;
    await h.channel.invoke("ben", pkg.id, "request.form", actionData(cardOf(pkg), "request.form")!);
    const form = latestWithAction(h.channel, "ben", "request.submit")!;
    const answer = await h.channel.invoke("ben", form.id, "request.submit", {
      ...actionData(cardOf(form), "request.submit")!,
      justification: "New accounts",
    });
    assert.match(textOf(invokeCard(answer)), /Request submitted/);
    await h.settle();
    return (await h.stores.requests.listForUser("ben"))[0]!.id;
  }

  /** Clicks Approve on the newest approval card in the person's chat that names the package. */
  async function approveAs(userId: string, packageName: string, reason: string) {
    const card = latestCard(h.channel, userId, `Approval needed: ${packageName}`)!;
    assert.ok(card, `${userId} has an approval card for ${packageName}`);
    const data = actionData(cardOf(card), "approval.approve")!;
    assert.ok(data, `${userId}'s card has Approve`);
    const answer = await h.channel.invoke(userId, card.id, "approval.approve", {
      ...data,
      decisionReason: reason,
    });
    await h.settle();
    return textOf(invokeCard(answer)) || String((answer.body as { value?: unknown }).value ?? "");
  }

  it("sends the delegate the pending and the new approval cards; decisions read 'Sam Reyes for Maria Silva'", async () => {
    const anas = await requestBusinessAnalyst(h);
    const answer = await say("maria", "delegate my approvals to Sam Reyes until 2026-12-24");
    assert.match(answer, /Sam Reyes decides your approvals until/);
    assert.match(answer, /1 request waiting for you was sent to Sam Reyes/);
    const pending = textOf(cardOf(latestCard(h.channel, "sam", "Approval needed: Business Analyst")));
    assert.match(pending, /You decide for Maria Silva while they are away/);
    const bens = await benAsksForSales();
    assert.ok(
      latestCard(h.channel, "sam", "Approval needed: Salesforce Sales"),
      "the new request reached Sam",
    );
    assert.ok(latestCard(h.channel, "maria", "Approval needed: Salesforce Sales"), "and Maria still");

    const decided = await approveAs("sam", "Salesforce Sales", "Covering for Maria");
    assert.match(decided, /Approved by Sam Reyes for Maria Silva/);
    const request = (await h.stores.requests.get(bens))!.value;
    assert.equal(request.stages[0]!.decision!.by, "sam");
    assert.equal(request.stages[0]!.decision!.onBehalfOf, "maria");
    // Maria's own copy shows who decided for her.
    const mariasCopy = latestCard(h.channel, "maria", /Salesforce Sales for Ben Okafor/);
    assert.match(textOf(cardOf(mariasCopy)), /Approved by Sam Reyes for Maria Silva/);
    const audit = await h.stores.audit.query({ subject: `request:${bens}` });
    const approved = audit.find((e) => e.action === "stage.approved")!;
    assert.equal(approved.actor, "sam");
    assert.equal(approved.details?.onBehalfOf, "maria");
    const started = await h.stores.audit.query({ subject: "delegation:maria" });
    assert.equal(started[0]!.action, "delegation.started");
    assert.equal(started[0]!.targetUserId, "sam");
    // Ana's request waits for stage 1 still; Sam can decide that too.
    assert.match(await approveAs("sam", "Business Analyst", "Fine"), /Sam Reyes for Maria Silva/);
    assert.equal((await h.stores.requests.get(anas))!.value.currentStage, 1);
  });

  it("never lets a delegate decide their own request, even when their manager delegated to them", async () => {
    const anas = await requestBusinessAnalyst(h);
    assert.match(
      await say("maria", "delegate my approvals to Ana Costa until 2026-12-24"),
      /Nothing is waiting/,
    );
    assert.equal(
      latestCard(h.channel, "ana", "Approval needed"),
      undefined,
      "Ana gets no card for her own request",
    );
    const stage = (await h.stores.requests.get(anas))!.value;
    const first = lastMessage(h, "ana");
    const forged = await h.channel.invoke("ana", first.id, "approval.approve", {
      requestId: anas,
      stage: 1,
      revision: stage.revision,
      decisionReason: "mine",
    });
    assert.match(textOf(invokeCard(forged)), /can't approve or deny your own request/);
    const after = (await h.stores.requests.get(anas))!.value;
    assert.equal(after.stages[0]!.decision, undefined);
    const refused = await h.stores.audit.query({ subject: `request:${anas}` });
    assert.ok(refused.some((e) => e.action === "cardAction.refused" && e.actor === "ana"));
  });

  it("ends by itself at its date, and sooner with 'stop delegating'", async () => {
    await say("maria", "delegate my approvals to Sam Reyes until 2026-11-24");
    const bens = await benAsksForSales();
    const card = latestCard(h.channel, "sam", "Approval needed: Salesforce Sales")!;
    const data = actionData(cardOf(card), "approval.approve")!;
    h.clock.advance(2 * 86_400_000);
    const late = await h.channel.invoke("sam", card.id, "approval.approve", {
      ...data,
      decisionReason: "late",
    });
    await h.settle();
    assert.match(textOf(invokeCard(late)), /aren't an approver|doesn't exist/);
    assert.equal((await h.stores.requests.get(bens))!.value.stages[0]!.decision, undefined);
    assert.match(await say("maria", "delegations"), /Nobody is delegating/);

    await say("maria", "delegate my approvals to Sara Lind until 2026-12-24");
    assert.ok(latestCard(h.channel, "sara", "Approval needed: Salesforce Sales"));
    assert.match(await say("maria", "delegations"), /Sara Lind for Maria Silva/);
    assert.match(await say("maria", "stop delegatng"), /You decide your approvals again/);
    const saras = latestCard(h.channel, "sara", "Approval needed: Salesforce Sales")!;
    const click = await h.channel.invoke("sara", saras.id, "approval.approve", {
      ...actionData(cardOf(saras), "approval.approve")!,
      decisionReason: "too late",
    });
    assert.doesNotMatch(textOf(invokeCard(click)), /Approved by/);
    assert.equal((await h.stores.requests.get(bens))!.value.stages[0]!.decision, undefined);
    const ended = await h.stores.audit.query({ subject: "delegation:maria" });
    assert.deepEqual(ended.map((e) => `${e.action} ${e.targetUserId}`).sort(), [
      "delegation.ended sara",
      "delegation.started sam",
      "delegation.started sara",
    ]);
    assert.match(await say("maria", "stop delegating"), /You aren't delegating/);
  });

  it("lists delegations for owners (and the CLI twin), refusing others", async () => {
    await say("maria", "delegate my approvals to Sam Reyes until 2026-12-24");
    assert.match(await say("maria", "show delegations"), /Sam Reyes for Maria Silva/);
    assert.match(await say("ben", "delegations"), /catalog owner, an auditor or a governance administrator/);
    const refusals = await h.stores.audit.query({ subject: "delegations" });
    assert.ok(refusals.some((e) => e.action === "admin.refused" && e.actor === "ben"));
    const cli = await runAccessCommand(h.bot.deps, parseAccessArgs(["delegations", "--as", "maria"])!);
    assert.equal(cli.code, 0);
    assert.match(cli.lines.join("\n"), /sam decides for maria until 2026-12-24T23:59:59.000Z/);
    const no = await runAccessCommand(h.bot.deps, parseAccessArgs(["delegations", "--as", "ben"])!);
    assert.equal(no.code, 1);
  });

  it("refuses delegating to oneself, into the past or to nobody, changing nothing", async () => {
    assert.match(await say("maria", "delegate my approvals to Maria Silva until 2026-12-24"), /to yourself/);
    assert.match(await say("maria", "delegate my approvals to Sam Reyes until 2026-11-01"), /passed/);
    assert.match(await say("maria", "delegate my approvals to Sam Reyes until someday"), /not a date/);
    assert.match(await say("maria", "delegate my approvals to Sam Reyes"), /until when/);
    assert.match(
      await say("maria", "delegate my approvals to Zed Nobody until 2026-12-24"),
      /don't know anyone/,
    );
    assert.deepEqual(await h.stores.delegations.list(), []);
    // The refusals the rules made are audited with the actor and why.
    const refused = (await h.stores.audit.query({ subject: "delegation:maria" })).filter(
      (e) => e.action === "delegation.refused",
    );
    assert.deepEqual(
      refused.map((e) => `${e.actor} ${e.details?.code}`),
      ["maria DELEGATION.INVALID", "maria DELEGATION.INVALID", "maria DELEGATION.INVALID"],
    );
  });
});
