import assert from "node:assert/strict";
import type { AccessReview, Assignment } from "../../src/domain/model";
import { type HttpHarness, START, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";

const END = "2026-12-23T10:00:00.000Z";
const REVIEW_END = "2026-12-07T10:00:00.000Z";

const anasAccess: Assignment = {
  id: "asg-ana",
  userId: "ana",
  packageId: "pkg-ba",
  policyId: "pol-ba",
  requestId: "req-ana",
  state: "delivered",
  startAt: START,
  endAt: END,
  resources: [],
  remindersSent: [],
  createdAt: START,
  updatedAt: START,
  revision: 1,
};

/** A running review of Business Analyst in which Maria reviews Ana's access. */
const review = (outcome?: "approve" | "deny"): AccessReview => ({
  id: "rev-1",
  packageId: "pkg-ba",
  policyId: "pol-ba",
  period: "2026-11",
  startAt: START,
  endAt: REVIEW_END,
  state: "inProgress",
  items: [
    {
      assignmentId: "asg-ana",
      userId: "ana",
      reviewers: ["maria"],
      recommendation: "none",
      recommendationReason: "",
      ...(outcome ? { decision: { outcome, by: "maria", at: START, justification: "Moved teams" } } : {}),
    },
  ],
  createdAt: START,
  revision: outcome ? 2 : 1,
});

describe("bot over HTTP: the expiry reminder", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startOverHttp();
    await h.channel.install("ana");
    await h.stores.assignments.create(anasAccess);
  });
  afterEach(() => h.close());

  async function reminder() {
    await h.bot.events.publish([
      { type: "ExpiryReminderDue", assignmentId: "asg-ana", endAt: END, offsetHours: 336, canExtend: true },
    ]);
    await h.settle();
    const card = cardOf(latestCard(h.channel, "ana", "Business Analyst"));
    assert.ok(card, "ana got a reminder");
    return card;
  }

  it("says the access ends when the review completes, without Extend, when a reviewer denied it", async () => {
    await h.stores.reviews.create(review("deny"));
    const card = await reminder();
    const text = textOf(card);
    const at = `${REVIEW_END.slice(0, 19)}Z`;
    assert.match(
      text,
      new RegExp(
        `It ends when the access review completes, at \\{\\{DATE\\(${at}, SHORT\\)\\}\\} \\{\\{TIME\\(${at}\\)\\}\\} \\(14 days left\\)\\.`,
      ),
    );
    assert.match(text, /It was denied in the access review of 2026-11, so it can't be extended\./);
    assert.doesNotMatch(text, /ends at .*30 days left/);
    assert.equal(actionData(card, "assignment.extend"), undefined, "no Extend");
  });

  it("offers Extend as before when the reviewer approved it", async () => {
    await h.stores.reviews.create(review("approve"));
    const card = await reminder();
    assert.match(textOf(card), /It ends at .*\(30 days left\)/);
    assert.ok(actionData(card, "assignment.extend"), "Extend is offered");
  });

  it("refuses Extend on an older reminder once a reviewer denied the access, and keeps its end", async () => {
    await h.stores.reviews.create(review());
    const card = await reminder();
    const extend = actionData(card, "assignment.extend");
    assert.ok(extend, "the reminder sent before the review decision offers Extend");
    const open = (await h.stores.reviews.get("rev-1"))!;
    await h.stores.reviews.update(review("deny"), open.etag);

    const reminderCard = latestCard(h.channel, "ana", "Business Analyst")!;
    const answer = await h.channel.invoke("ana", reminderCard.id, "assignment.extend", extend);
    assert.equal(answer.status, 200);
    assert.match(
      textOf(invokeCard(answer)),
      /denied in the access review of 2026-11, so it can't be extended/,
    );
    const stored = (await h.stores.assignments.get("asg-ana"))!.value;
    assert.equal(stored.endAt, END, "the end did not move");
    assert.equal(stored.revision, anasAccess.revision);
  });
});
