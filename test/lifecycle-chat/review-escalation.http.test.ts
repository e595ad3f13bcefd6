import assert from "node:assert/strict";
import path from "node:path";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { RunningAzurite } from "../../src/dev/azurite";
import { addDays } from "../../src/domain/time";
import { cardOf, invokeCard, textOf } from "../bot/support/cards";
import { type Desk, HOUR, advance, assign, cardSaying, startDesk, startSharedAzurite } from "./support/desk";
import { advancePast, advanceToJustBefore, itemButtons, nextReview, reviewOf } from "./support/reviews";

const { fred, lola, managerOfFred: megan, securityApprover: lidia } = DEMO;
const BA = DEMO.packages.businessAnalyst;
/** The demo governance with Business Analyst's review escalating to the Security Team after 3 days. */
const ESCALATING_DIR = path.join(__dirname, "fixtures", "review-escalation");

const reviewCards = (desk: Desk, userId: string) =>
  desk.channel
    .activities(desk.channel.conversationOf(userId))
    .filter((a) => textOf(cardOf(a)).includes("Access review: Business Analyst"));

describe("access review in chat: the backup reviewer steps in when the manager does not respond", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let desk: Desk;

  before(async () => {
    azurite = await startSharedAzurite();
  });
  after(() => azurite.stop());
  beforeEach(async () => {
    desk = await startDesk(azurite, { GOVERNANCE_DIR: ESCALATING_DIR });
    for (const person of [megan, lidia, fred]) await desk.channel.install(person);
  });
  afterEach(() => desk.stop());

  it("gives the Security Team the items Megan left open after 3 days, not before, and Lidia decides", async () => {
    const { startAt, settings } = await nextReview(desk);
    assert.equal(settings.escalateAfterDays, 3);
    await advanceToJustBefore(desk, startAt);
    const fredsAccess = await assign(desk, fred, BA);
    await advancePast(desk, startAt);

    const megans = await cardSaying(desk, megan, "Access review: Business Analyst");
    const review = await reviewOf(desk, BA);
    const lolasItem = review.items.find((i) => i.userId === lola)!;
    // Megan keeps Lola on day 1; Fred's item she leaves open.
    const approve = itemButtons(megans, lolasItem.assignmentId).find((b) => b.verb === "review.approve")!;
    const kept = await desk.channel.invoke(megan, megans.id, "review.approve", {
      ...approve.data,
      [`reason_${lolasItem.assignmentId}`]: "Still in finance",
    });
    assert.match(textOf(invokeCard(kept)), /Approved by Megan Bowen/);

    const escalateAt = addDays(startAt, 3);
    await advanceToJustBefore(desk, escalateAt);
    assert.deepEqual(reviewCards(desk, lidia), [], "no card for the backup reviewer before 3 days");
    assert.equal((await reviewOf(desk, BA)).escalatedAt, undefined);

    await advancePast(desk, escalateAt);
    const lidias = await cardSaying(desk, lidia, "Access review: Business Analyst");
    const shown = textOf(cardOf(lidias));
    assert.match(shown, /Fred Fischer/);
    assert.doesNotMatch(shown, /Lola Jimenez/, "decided items stay with their reviewer");
    const escalated = await reviewOf(desk, BA);
    const fredsItem = escalated.items.find((i) => i.assignmentId === fredsAccess.id)!;
    assert.ok(fredsItem.reviewers.includes(lidia) && fredsItem.reviewers.includes(megan));
    assert.ok(fredsItem.addedReviewers?.includes(lidia));
    assert.ok(!escalated.items.find((i) => i.userId === lola)!.reviewers.includes(lidia));

    const trail = await desk.app.deps.audit.query({ subject: `review:${review.id}`, limit: 50 });
    const rows = trail.filter((e) => e.action === "review.escalated");
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor, "system");
    assert.match(rows[0]!.details?.reviewers ?? "", new RegExp(lidia));
    assert.equal(rows[0]!.details?.assignments, fredsAccess.id);

    // Lidia decides Fred's item from her own card.
    const deny = itemButtons(lidias, fredsAccess.id).find((b) => b.verb === "review.deny")!;
    const answer = await desk.channel.invoke(lidia, lidias.id, "review.deny", {
      ...deny.data,
      [`reason_${fredsAccess.id}`]: "Moved to the sales team",
    });
    assert.match(textOf(invokeCard(answer)), /Denied by Lidia Holloway/);
    const decided = (await reviewOf(desk, BA)).items.find((i) => i.assignmentId === fredsAccess.id)!;
    assert.equal(decided.decision?.by, lidia);

    // Once per review: later sweeps send nothing more.
    await advance(desk, 2 * HOUR);
    assert.equal(reviewCards(desk, lidia).length, 1);
    assert.equal(
      (await desk.app.deps.audit.query({ subject: `review:${review.id}`, limit: 50 })).filter(
        (e) => e.action === "review.escalated",
      ).length,
      1,
    );
  });
});
