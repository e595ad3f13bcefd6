import assert from "node:assert/strict";
import { type HttpHarness, START, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { decide, requestBusinessAnalyst } from "./support/flow";
import type { AccessReview } from "../../src/domain/model";

/** How every card shows an instant we computed: the client's DATE and TIME macros, intact. */
const AT_START = `{{DATE(${START.slice(0, 19)}Z, SHORT)}} {{TIME(${START.slice(0, 19)}Z)}}`;

/** The TextBlocks of a card that say `text`. */
function blocksSaying(card: unknown, text: string): string[] {
  return textOf(card)
    .split("\n")
    .filter((line) => line.includes(text));
}

describe("bot over HTTP: a click on a stage that was already decided", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  let requestId: string;

  beforeEach(async () => {
    h = await startOverHttp();
    await h.channel.install("ana");
    requestId = await requestBusinessAnalyst(h);
  });
  afterEach(() => h.close());

  it("tells a late approver who decided, when (as a date the client formats) and why, escaped once", async () => {
    await decide(h, "maria", "approval.approve");
    const sara = latestCard(h.channel, "sara", "Approval needed")!;
    const deny = actionData(cardOf(sara), "approval.deny")!;
    await decide(h, "sam", "approval.approve", "Checked *twice* (ticket #42)");
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[1]!.decision!.by, "sam");

    const answer = await h.channel.invoke("sara", sara.id, "approval.deny", {
      ...deny,
      decisionReason: "Too broad",
    });
    const notice = blocksSaying(invokeCard(answer), "Already decided");
    assert.equal(notice.length, 1, textOf(invokeCard(answer)));
    assert.equal(
      notice[0],
      `Already decided. Approved by Sam Reyes at ${AT_START}: Checked \\*twice\\* \\(ticket \\#42\\)`,
    );
    assert.doesNotMatch(notice[0]!, /\u200B/, "no broken macro");
    assert.equal((await h.stores.requests.get(requestId))!.value.stages[1]!.decision!.outcome, "approve");
  });

  it("shows an approver who denies their own approved stage 1 that they already approved it, while stage 2 waits", async () => {
    const mine = latestCard(h.channel, "maria", "Approval needed")!;
    const deny = actionData(cardOf(mine), "approval.deny")!;
    await decide(h, "maria", "approval.approve", "Fits the role");

    const answer = await h.channel.invoke("maria", mine.id, "approval.deny", {
      ...deny,
      decisionReason: "changed my mind",
    });
    const card = invokeCard(answer);
    const text = textOf(card);
    assert.match(text, /Stage 2 of 2/, "the card shows the stage being decided now");
    assert.deepEqual(blocksSaying(card, "Already decided"), [
      `Already decided. You approved stage 1 at ${AT_START}: Fits the role`,
    ]);
    assert.equal(actionData(card, "approval.approve"), undefined, "maria does not decide stage 2");
    const request = (await h.stores.requests.get(requestId))!.value;
    assert.equal(request.state, "pendingApproval");
    assert.equal(request.stages[0]!.decision!.outcome, "approve");
  });

  /** A running review of Business Analyst in which Ana's access has two reviewers, Maria and Sam. */
  async function reviewOfAna(decided: boolean): Promise<AccessReview> {
    const review: AccessReview = {
      id: "rev-1",
      packageId: "pkg-ba",
      policyId: "pol-ba",
      period: "2026-11",
      startAt: START,
      endAt: "2026-12-07T10:00:00.000Z",
      state: "inProgress",
      items: [
        {
          assignmentId: "asg-ana",
          userId: "ana",
          reviewers: ["maria", "sam"],
          recommendation: "none",
          recommendationReason: "",
          ...(decided
            ? {
                decision: {
                  outcome: "deny" as const,
                  by: "sam",
                  at: START,
                  justification: "Moved to *sales* (HR #7)",
                },
              }
            : {}),
        },
      ],
      createdAt: START,
      revision: decided ? 2 : 1,
    };
    await h.stores.reviews.create(review);
    return review;
  }

  it("tells a late reviewer who decided, when and why, escaped once", async () => {
    await reviewOfAna(true);
    await h.channel.install("maria");
    await h.channel.say("maria", "help");
    const anyCard = h.channel.activities(h.channel.conversationOf("maria")).at(-1)!;
    const answer = await h.channel.invoke("maria", anyCard.id, "review.approve", {
      reviewId: "rev-1",
      assignmentId: "asg-ana",
      revision: 1,
    });
    assert.deepEqual(blocksSaying(invokeCard(answer), "Already decided"), [
      `Already decided. Denied by Sam Reyes at ${AT_START}: Moved to \\*sales\\* \\(HR \\#7\\).`,
    ]);
  });

  it("reminds reviewers when the review ends as a date the client formats", async () => {
    await reviewOfAna(false);
    await h.channel.install("maria");
    await h.bot.events.publish([{ type: "ReviewReminderDue", reviewId: "rev-1", reviewerIds: ["maria"] }]);
    await h.settle();
    const reminder = latestCard(h.channel, "maria", "Reminder:");
    assert.ok(reminder, "maria got the reminder");
    const end = "2026-12-07T10:00:00Z";
    assert.deepEqual(blocksSaying(cardOf(reminder), "Reminder:"), [
      `Reminder: this review ends {{DATE(${end}, SHORT)}} {{TIME(${end})}} (14 days left).`,
    ]);
  });
});
