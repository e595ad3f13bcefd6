import assert from "node:assert/strict";
import { delegateApprovals } from "../../src/app/delegation/delegate-approvals";
import { batchOf } from "../../src/app/shared/journal";
import { rerunEffects } from "../../src/app/shared/effects";
import type { AccessReview } from "../../src/domain/model";
import type { DelegationStore } from "../../src/ports/delegations";
import { itemButtons } from "../lifecycle-chat/support/reviews";
import { cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { requestBusinessAnalyst } from "./support/flow";
import { START, type HttpHarness } from "./support/harness";
import { lastMessage, startWithRoles } from "./support/admin";

const REVIEW = "Access review: Business Analyst";

/** A running review of Business Analyst: Maria reviews Ana, Ben and Sam (the delegate-to-be). */
async function seedReview(h: HttpHarness, id = "rev-1"): Promise<AccessReview> {
  const item = (userId: string) => ({
    assignmentId: `asg-${userId}`,
    userId,
    reviewers: ["maria"],
    recommendation: "none" as const,
    recommendationReason: "",
  });
  const review: AccessReview = {
    id,
    packageId: "pkg-ba",
    policyId: "pol-ba",
    period: "2026-11",
    startAt: START,
    endAt: "2026-12-07T10:00:00.000Z",
    state: "inProgress",
    items: [item("ana"), item("ben"), item("sam")],
    createdAt: START,
    revision: 1,
  };
  await h.stores.reviews.create(review);
  return review;
}

const reviewCards = (h: HttpHarness, userId: string) =>
  h.channel.activities(h.channel.conversationOf(userId)).filter((a) => textOf(cardOf(a)).includes(REVIEW));

describe("bot over HTTP: a delegate reviews for the approver away", function () {
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

  /** The review seeded and started: its reviewers (and their delegates) are sent their cards. */
  async function startReview(): Promise<AccessReview> {
    const review = await seedReview(h);
    await h.bot.events.publish([{ type: "ReviewStarted", reviewId: review.id }]);
    await h.settle();
    return review;
  }

  /** Clicks Approve or Deny on one item of the person's newest review card. */
  async function decideItem(userId: string, assignmentId: string, verb: "review.approve" | "review.deny") {
    const card = latestCard(h.channel, userId, REVIEW)!;
    const button = itemButtons(card, assignmentId).find((b) => b.verb === verb);
    const data = button?.data ?? { reviewId: "rev-1", assignmentId, revision: 1 };
    const answer = await h.channel.invoke(userId, card.id, verb, {
      ...data,
      [`reason_${assignmentId}`]: "Covering for Maria",
    });
    await h.settle();
    return textOf(invokeCard(answer));
  }

  it("sends the delegate the approver's running review; their decision reads 'Sam Reyes for Maria Silva'", async () => {
    const review = await startReview();
    assert.equal(reviewCards(h, "sam").length, 0, "Sam is no reviewer");
    const answer = await say("maria", "delegate my approvals to Sam Reyes until 2026-12-24");
    assert.match(answer, /1 access review waiting for you was sent to Sam Reyes/);
    const sams = latestCard(h.channel, "sam", REVIEW)!;
    assert.ok(sams, "Sam got the review card");
    assert.match(textOf(cardOf(sams)), /You review for Maria Silva while they are away/);
    assert.equal(itemButtons(sams, "asg-ana").length, 2, "Ana's item has Approve and Deny");
    assert.deepEqual(itemButtons(sams, "asg-sam"), [], "Sam's own access is not on his card");

    assert.match(
      await decideItem("sam", "asg-ana", "review.approve"),
      /Approved by Sam Reyes for Maria Silva/,
    );
    const stored = (await h.stores.reviews.get(review.id))!.value;
    const decision = stored.items.find((i) => i.assignmentId === "asg-ana")!.decision!;
    assert.equal(decision.by, "sam");
    assert.equal(decision.onBehalfOf, "maria");
    // Maria's copy shows who decided for her.
    assert.match(
      textOf(cardOf(latestCard(h.channel, "maria", REVIEW))),
      /Approved by Sam Reyes for Maria Silva/,
    );
    const trail = await h.stores.audit.query({ subject: `review:${review.id}` });
    const decided = trail.filter((e) => e.action === "review.decided");
    assert.equal(decided.length, 1);
    assert.equal(decided[0]!.actor, "sam");
    assert.equal(decided[0]!.targetUserId, "ana");
    assert.equal(decided[0]!.details?.onBehalfOf, "maria");
  });

  it("never lets the delegate review their own access, changing nothing and auditing the attempt", async () => {
    const review = await startReview();
    await say("maria", "delegate my approvals to Sam Reyes until 2026-12-24");
    const answer = await decideItem("sam", "asg-sam", "review.approve");
    assert.match(answer, /can't review your own access/);
    const stored = (await h.stores.reviews.get(review.id))!.value;
    assert.equal(stored.items.find((i) => i.assignmentId === "asg-sam")!.decision, undefined);
    assert.equal(stored.revision, review.revision);
    const trail = await h.stores.audit.query({ subject: `review:${review.id}` });
    assert.ok(trail.some((e) => e.action === "cardAction.refused" && e.actor === "sam"));
    assert.ok(!trail.some((e) => e.action === "review.decided"));
  });

  it("gives the delegate new reviews as they start, until the delegation ends by itself", async () => {
    assert.match(
      await say("maria", "delegate my approvals to Sam Reyes until 2026-11-24"),
      /Nothing is waiting/,
    );
    const review = await startReview();
    assert.equal(reviewCards(h, "sam").length, 1, "the new review reached Sam");
    assert.equal(reviewCards(h, "maria").length, 1, "and Maria still");
    h.clock.advance(2 * 86_400_000);
    const late = await decideItem("sam", "asg-ben", "review.deny");
    assert.match(late, /not a reviewer/);
    assert.equal((await h.stores.reviews.get(review.id))!.value.items[1]!.decision, undefined);
    assert.match(await say("sam", "my reviews"), /Nothing is waiting for your review/);
  });
});

describe("delegating approvals: the delegate's waiting cards survive a crash", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startWithRoles();
  });
  afterEach(() => h.close());

  const input = {
    actorId: "maria",
    delegateId: "sam",
    until: "2026-12-24T23:59:59.000Z",
    source: "chat:delegate",
  };
  const approvalCards = () =>
    h.channel
      .activities(h.channel.conversationOf("sam"))
      .filter((a) => textOf(cardOf(a)).includes("Approval needed: Business Analyst"));
  const journalOf = async () =>
    (await h.stores.due.listDue("2027-01-01T00:00:00.000Z", 100))
      .map((v) => v.value)
      .filter((i) => i.kind === "effects" && i.subjectId === "delegation:maria");
  const started = async () =>
    (await h.stores.audit.query({ subject: "delegation:maria" })).filter(
      (e) => e.action === "delegation.started",
    );

  /** The bot's store, but the process dies: `before` the save or right `after` it. */
  const dying = (when: "before" | "after"): DelegationStore => {
    const real = h.bot.deps.delegations!;
    return Object.assign(Object.create(real) as DelegationStore, {
      put: async (d: Parameters<DelegationStore["put"]>[0]) => {
        if (when === "after") await real.put(d);
        throw new Error("process died");
      },
    });
  };

  it("journals the cards before the save: a save that never happened sends nothing on rerun", async () => {
    await requestBusinessAnalyst(h);
    await assert.rejects(delegateApprovals({ ...h.bot.deps, delegations: dying("before") }, input), /died/);
    const [item] = await journalOf();
    assert.ok(item, "the journal item was written before the save");
    await rerunEffects(h.bot.deps, batchOf(item));
    await h.settle();
    assert.equal(approvalCards().length, 0);
    assert.deepEqual(await started(), []);
    assert.equal(await h.stores.delegations.get("maria"), undefined);
  });

  it("a crash right after the save: the effects sweep sends the cards and audits once", async () => {
    await requestBusinessAnalyst(h);
    await seedReview(h);
    await assert.rejects(delegateApprovals({ ...h.bot.deps, delegations: dying("after") }, input), /died/);
    assert.equal(
      approvalCards().length + reviewCards(h, "sam").length,
      0,
      "nothing went out before the crash",
    );
    const [item] = await journalOf();
    assert.ok(item);
    await rerunEffects(h.bot.deps, batchOf(item));
    await h.settle();
    assert.equal(approvalCards().length, 1, "the delegate got the waiting approval card");
    assert.equal(reviewCards(h, "sam").length, 1, "and the waiting review");
    assert.equal((await started()).length, 1);
    assert.deepEqual(await journalOf(), [], "the batch is done");
    // A second run (another sweeper, a retry) sends and audits nothing more.
    await rerunEffects(h.bot.deps, batchOf(item));
    await h.settle();
    assert.equal(approvalCards().length, 1);
    assert.equal(reviewCards(h, "sam").length, 1);
    assert.equal((await started()).length, 1);
  });
});
