import assert from "node:assert/strict";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { RunningAzurite } from "../../src/dev/azurite";
import { cardOf, invokeCard, textOf } from "../bot/support/cards";
import { type Desk, assign, cardSaying, startDesk, startSharedAzurite, waitForVersion } from "./support/desk";
import {
  advancePast,
  advanceToJustBefore,
  itemButtons,
  monthName,
  nextReview,
  reviewOf,
} from "./support/reviews";

const { fred, lola, managerOfFred: megan } = DEMO;
const BA = DEMO.packages.businessAnalyst;

describe("access review in chat: the manager recertifies Business Analyst", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let desk: Desk;

  before(async () => {
    azurite = await startSharedAzurite();
  });
  after(() => azurite.stop());
  beforeEach(async () => {
    desk = await startDesk(azurite);
    await desk.channel.install(megan);
    await desk.channel.install(fred);
  });
  afterEach(() => desk.stop());

  it("starts on schedule, the manager denies Fred with a reason, every copy updates, and at the end Fred loses the access", async () => {
    const { startAt, endAt } = await nextReview(desk);
    await advanceToJustBefore(desk, startAt);
    const fredsAccess = await assign(desk, fred, BA);
    await advancePast(desk, startAt);

    // The review card arrives on its own, listing the people Megan must recertify.
    const proactive = await cardSaying(desk, megan, "Access review: Business Analyst");
    const text = textOf(cardOf(proactive));
    assert.match(text, /Fred Fischer/);
    assert.match(text, /Lola Jimenez/);
    assert.match(text, /Has had it since/);
    assert.match(text, /Recommended: (approve|deny)/);
    const review = await reviewOf(desk, BA);
    const lolasItem = review.items.find((i) => i.userId === lola)!;

    // A second copy, asked for in chat.
    await desk.channel.say(megan, "my reviews");
    const asked = await desk.channel.waitFor(() =>
      desk.channel
        .activities(desk.channel.conversationOf(megan))
        .find((a) => a.id !== proactive.id && textOf(cardOf(a)).includes("Access review: Business Analyst")),
    );

    const deny = itemButtons(proactive, fredsAccess.id).find((b) => b.verb === "review.deny")!;
    assert.deepEqual(Object.keys(deny.data).sort(), ["assignmentId", "reviewId", "revision"]);
    // The policy wants a reason for every decision.
    assert.match(JSON.stringify(cardOf(proactive)), /"label":"Reason \(needed to approve or deny\)"/);
    const unexplained = await desk.channel.invoke(megan, proactive.id, "review.deny", deny.data);
    assert.match(textOf(invokeCard(unexplained)), /A reason is required for review decisions/);
    assert.equal((await reviewOf(desk, BA)).revision, review.revision, "nothing was decided");

    const answer = await desk.channel.invoke(megan, proactive.id, "review.deny", {
      ...deny.data,
      [`reason_${fredsAccess.id}`]: "Moved to the sales team",
    });
    assert.match(textOf(invokeCard(answer)), /Denied by Megan Bowen .*Moved to the sales team/);

    for (const copy of [proactive, asked]) {
      const updated = await waitForVersion(desk, megan, copy.id, (t) => /Denied by Megan Bowen/.test(t));
      assert.deepEqual(itemButtons(updated, fredsAccess.id), [], "no buttons left for Fred's item");
      assert.equal(itemButtons(updated, lolasItem.assignmentId).length, 2, "Lola's item still open");
    }

    // Midway, Megan is reminded: Lola's item is still open.
    const midpoint = new Date((Date.parse(startAt) + Date.parse(endAt)) / 2).toISOString();
    await advancePast(desk, midpoint);
    const reminder = await cardSaying(desk, megan, /Reminder: this review ends/);
    assert.ok(itemButtons(reminder, lolasItem.assignmentId).length > 0);

    // "Approve all" keeps Lola.
    const bulk = await desk.channel.invoke(megan, reminder.id, "review.approveRemaining", {
      reviewId: review.id,
      revision: review.revision,
      reviewReason: "Still in the finance team",
    });
    assert.match(textOf(invokeCard(bulk)), /Approved by Megan Bowen .*Still in the finance team/);

    await advancePast(desk, endAt);
    const told = await cardSaying(desk, fred, "Your access was removed: Business Analyst");
    assert.match(textOf(cardOf(told)), /Denied in an access review/);
    assert.equal((await desk.app.deps.assignments.get(fredsAccess.id))!.value.state, "removed");
    const groups = await desk.app.deps.directory.getUserGroupIds(fred);
    assert.ok(!groups.includes(DEMO.groups.financeReports), "Finance Reports membership removed");
    const lolas = (await desk.app.deps.assignments.get(lolasItem.assignmentId))!.value;
    assert.notEqual(lolas.state, "removed", "Lola keeps her access");

    await cardSaying(desk, megan, "Access review completed: Business Analyst");
    const final = await waitForVersion(desk, megan, proactive.id, (t) => /This review ended/.test(t));
    assert.equal(itemButtons(final, lolasItem.assignmentId).length, 0);
    const post = desk.channel
      .channelActivities(DEMO.channel.channelId)
      .find((a) => /Fred Fischer no longer has Business Analyst \(removed\)/.test(textOf(cardOf(a))));
    assert.ok(post, "the channel was told");

    // The results, asked for in chat with the month as people say it.
    await desk.channel.say(megan, `review results for Business Analyst, ${monthName(startAt)}`);
    const results = await cardSaying(desk, megan, "Access review results: Business Analyst");
    const shown = textOf(cardOf(results));
    assert.match(shown, /Denied by Megan Bowen .*Moved to the sales team.*Access removed/);
    assert.match(shown, /Removed: 1/);
  });

  it("refuses a review button clicked by someone who is not a reviewer, and changes nothing", async () => {
    const { startAt } = await nextReview(desk);
    await advanceToJustBefore(desk, startAt);
    const fredsAccess = await assign(desk, fred, BA);
    await advancePast(desk, startAt);
    await cardSaying(desk, megan, "Access review: Business Analyst");
    const before = await reviewOf(desk, BA);

    // Fred has no review to do; he forges a click on his own chat's card.
    await desk.channel.say(fred, "my reviews");
    const nothing = await cardSaying(desk, fred, "No access reviews for you");
    const forged = await desk.channel.invoke(fred, nothing.id, "review.approve", {
      reviewId: before.id,
      assignmentId: fredsAccess.id,
      revision: before.revision,
    });
    assert.match(textOf(invokeCard(forged)), /You are not a reviewer of this access/);

    const after = await reviewOf(desk, BA);
    assert.equal(after.revision, before.revision);
    assert.equal(after.items.find((i) => i.assignmentId === fredsAccess.id)?.decision, undefined);
    const refusals = await desk.app.deps.audit.query({ subject: `review:${before.id}` });
    assert.ok(refusals.some((e) => e.action === "cardAction.refused" && e.actor === fred));
  });
});
