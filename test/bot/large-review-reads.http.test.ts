import assert from "node:assert/strict";
import type { AccessReview, ReviewItem, UserId } from "../../src/domain/model";
import type { ReviewStore, Stores } from "../../src/ports/stores";
import type { Versioned } from "../../src/ports/versioned";
import { itemButtons } from "../lifecycle-chat/support/reviews";
import { memoryStores } from "../support/stores";
import { type BotWorldOverHttp, startBotWorld } from "../support/over-http";
import { governanceFixture } from "./fixtures/organization";
import { cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { START } from "./support/harness";

const REVIEW = "Access review: Business Analyst";
const REVIEW_ID = "rev-large";
/** Other reviewers' items: 2,000 people under 200 managers, around the few the test's people review. */
const OTHERS = 2000;

/** What the bot asked the review store for, and how many items each answer held. */
interface Read {
  how: "get" | "getForReviewers" | "listActiveForReviewer";
  items: number;
}

/** The review store as stored, telling how many items each read handed the bot. */
class CountingReviews implements ReviewStore {
  readonly reads: Read[] = [];
  constructor(private readonly inner: ReviewStore) {}
  private counted(how: Read["how"], found: Versioned<AccessReview> | undefined) {
    if (found) this.reads.push({ how, items: found.value.items.length });
    return found;
  }
  async get(id: string) {
    return this.counted("get", await this.inner.get(id));
  }
  async getForReviewers(id: string, reviewerIds: UserId[]) {
    return this.counted("getForReviewers", await this.inner.getForReviewers(id, reviewerIds));
  }
  create = (review: AccessReview) => this.inner.create(review);
  update = (review: AccessReview, etag: string) => this.inner.update(review, etag);
  listForPackage = (packageId: string) => this.inner.listForPackage(packageId);
  async listActiveForReviewer(userId: UserId, readFor?: UserId[]) {
    const listed = await this.inner.listActiveForReviewer(userId, readFor);
    for (const review of listed)
      this.reads.push({ how: "listActiveForReviewer", items: review.items.length });
    return listed;
  }
}

const item = (userId: string, reviewers: UserId[]): ReviewItem => ({
  assignmentId: `asg-${userId}`,
  userId,
  reviewers,
  recommendation: "none",
  recommendationReason: "",
  since: START,
});

/**
 * A review of 2,000 and a few items: Maria reviews Ana, Ben and Lola; Sara reviews Ana with her and
 * Sam's access; everyone else's items belong to 200 other managers, spread before and after them.
 */
function largeReview(): AccessReview {
  const filler = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) =>
      item(`user-${from + k}`, [`mgr-${Math.floor((from + k) / 10)}`]),
    );
  return {
    id: REVIEW_ID,
    packageId: "pkg-ba",
    policyId: "pol-ba",
    period: "2026-11",
    startAt: START,
    endAt: "2026-12-07T10:00:00.000Z",
    state: "inProgress",
    items: [
      ...filler(0, OTHERS / 2),
      item("ana", ["maria", "sara"]),
      item("ben", ["maria"]),
      item("lola", ["maria"]),
      item("sam", ["sara"]),
      ...filler(OTHERS / 2, OTHERS),
    ],
    createdAt: START,
    revision: 1,
  };
}

describe("bot over HTTP: a reviewer's cards of a large review read only their items", function () {
  this.timeout(30_000);
  let h: BotWorldOverHttp<Stores>;
  let reviews: CountingReviews;

  beforeEach(async () => {
    const stores: Stores = memoryStores(governanceFixture());
    reviews = new CountingReviews(stores.reviews);
    stores.reviews = reviews;
    h = await startBotWorld({ stores });
    for (const id of ["maria", "sara", "sam"]) await h.channel.install(id);
    await h.stores.reviews.create(largeReview());
  });
  afterEach(() => h.close());

  /** The reads since `from`, each with at most `most` items (a whole read holds 2,004). */
  function assertSmallReads(from: number, most: number) {
    const reads = reviews.reads.slice(from);
    assert.ok(reads.length > 0, "the review was read");
    assert.deepEqual(
      reads.filter((r) => r.how === "get" || r.items > most),
      [],
      "no read of the whole review, nor of more than the reviewers' items",
    );
  }

  async function click(userId: string, assignmentId: string, verb: "review.approve" | "review.deny") {
    const card = latestCard(h.channel, userId, REVIEW)!;
    const button = itemButtons(card, assignmentId).find((b) => b.verb === verb)!;
    assert.ok(button, `${userId} has ${verb} on ${assignmentId}`);
    const answer = await h.channel.invoke(userId, card.id, verb, {
      ...button.data,
      [`reason_${assignmentId}`]: "Still in the team",
    });
    await h.settle();
    return textOf(invokeCard(answer));
  }

  it("sends a reminder, answers a click and re-renders the co-reviewer's copy from the reviewers' items", async () => {
    await h.bot.events.publish([
      { type: "ReviewReminderDue", reviewId: REVIEW_ID, reviewerIds: ["maria", "sara"] },
    ]);
    await h.settle();
    assertSmallReads(0, 5);
    assert.match(textOf(cardOf(latestCard(h.channel, "maria", REVIEW))), /3 of 3 left to review/);
    assert.match(textOf(cardOf(latestCard(h.channel, "sara", REVIEW))), /2 of 2 left to review/);

    const before = reviews.reads.length;
    const answer = await click("maria", "asg-ana", "review.approve");
    assert.match(answer, /2 of 3 left to review/);
    assert.match(answer, /Approved by Maria Silva/);
    // Sara's copy shows Maria's decision on the item they share.
    const saras = textOf(cardOf(latestCard(h.channel, "sara", REVIEW)));
    assert.match(saras, /1 of 2 left to review/);
    assert.match(saras, /Approved by Maria Silva/);
    assertSmallReads(before, 5);

    // The decision is stored, and nobody else's item changed.
    const stored = (await h.stores.reviews.get(REVIEW_ID))!.value;
    assert.equal(stored.items.filter((i) => i.decision).length, 1);
    assert.equal(stored.items.find((i) => i.assignmentId === "asg-ana")!.decision!.by, "maria");
  });

  it("shows a late reviewer who decided, from their items only", async () => {
    await h.bot.events.publish([
      { type: "ReviewReminderDue", reviewId: REVIEW_ID, reviewerIds: ["maria", "sara"] },
    ]);
    await h.settle();
    const stale = latestCard(h.channel, "sara", REVIEW)!;
    const button = itemButtons(stale, "asg-ana").find((b) => b.verb === "review.approve")!;
    await click("maria", "asg-ana", "review.deny");
    const before = reviews.reads.length;
    const answer = await h.channel.invoke("sara", stale.id, "review.approve", button.data);
    await h.settle();
    assert.match(textOf(invokeCard(answer)), /Already decided\. Denied by Maria Silva/);
    assertSmallReads(before, 5);
  });

  it("gives a delegate the card of the reviewer away, and their decision updates both, from their items only", async () => {
    await h.bot.events.publish([{ type: "ReviewReminderDue", reviewId: REVIEW_ID, reviewerIds: ["maria"] }]);
    await h.settle();
    const before = reviews.reads.length;
    await h.channel.say("maria", "delegate my approvals to Sam Reyes until 2026-12-24");
    await h.settle();
    const sams = textOf(cardOf(latestCard(h.channel, "sam", REVIEW)));
    assert.match(sams, /You review for Maria Silva while they are away/);
    assert.match(sams, /3 of 3 left to review/);

    assert.match(await click("sam", "asg-ben", "review.approve"), /Approved by Sam Reyes for Maria Silva/);
    assert.match(
      textOf(cardOf(latestCard(h.channel, "maria", REVIEW))),
      /Approved by Sam Reyes for Maria Silva/,
    );
    // Sam's own access (Sara reviews it) is not on his card, and not read for it either.
    assert.deepEqual(itemButtons(latestCard(h.channel, "sam", REVIEW), "asg-sam"), []);
    assertSmallReads(before, 5);
  });

  it('answers "my reviews" from the reviewer\'s items, their own and those of whom they stand in for', async () => {
    await h.channel.say("maria", "delegate my approvals to Sara Lind until 2026-12-24");
    await h.settle();
    const before = reviews.reads.length;
    await h.channel.say("sara", "my reviews");
    await h.settle();
    // Sara's own two (Ana's and Sam's access) and Maria's three, Ana's among both.
    const saras = textOf(cardOf(latestCard(h.channel, "sara", REVIEW)));
    assert.match(saras, /4 of 4 left to review/);
    assertSmallReads(before, 5);
    assert.ok(
      reviews.reads.slice(before).some((r) => r.how === "listActiveForReviewer"),
      "the list was read",
    );
  });
});
