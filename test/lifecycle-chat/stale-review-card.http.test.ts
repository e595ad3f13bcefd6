import assert from "node:assert/strict";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { RunningAzurite } from "../../src/dev/azurite";
import { cardOf, invokeCard, textOf } from "../bot/support/cards";
import { type Desk, assign, cardSaying, startDesk, startSharedAzurite, waitForVersion } from "./support/desk";
import { advancePast, advanceToJustBefore, itemButtons, nextReview, reviewOf } from "./support/reviews";

/** Pat Quinn has no manager: the Security Team reviews Pat's access instead (the backup reviewers). */
const { noManagerUser: pat, securityApprover: lidia, ciso: lee } = DEMO;
const BA = DEMO.packages.businessAnalyst;

describe("access review in chat: several reviewers of one person", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let desk: Desk;

  before(async () => {
    azurite = await startSharedAzurite();
  });
  after(() => azurite.stop());
  beforeEach(async () => {
    desk = await startDesk(azurite);
    for (const user of [lidia, lee]) await desk.channel.install(user);
  });
  afterEach(() => desk.stop());

  it("shows a reviewer whose card went stale who decided and when, without overwriting the decision", async () => {
    const { startAt } = await nextReview(desk);
    await advanceToJustBefore(desk, startAt);
    const patsAccess = await assign(desk, pat, BA);
    await advancePast(desk, startAt);

    const lidiasCard = await cardSaying(desk, lidia, "Pat Quinn");
    const leesCard = await cardSaying(desk, lee, "Pat Quinn");
    const leesApprove = itemButtons(leesCard, patsAccess.id).find((b) => b.verb === "review.approve")!;
    assert.ok(leesApprove, "Lee's copy offers Approve");

    const deny = itemButtons(lidiasCard, patsAccess.id).find((b) => b.verb === "review.deny")!;
    await desk.channel.invoke(lidia, lidiasCard.id, "review.deny", {
      ...deny.data,
      [`reason_${patsAccess.id}`]: "Contract ended",
    });

    // Lee's copy is re-rendered from storage: the decision, and no buttons for Pat any more.
    const updated = await waitForVersion(desk, lee, leesCard.id, (t) => /Denied by Lidia Holloway/.test(t));
    assert.deepEqual(itemButtons(updated, patsAccess.id), []);

    // A click from the card as it was before (a client that had not refreshed yet).
    const late = await desk.channel.invoke(lee, leesCard.id, "review.approve", leesApprove.data);
    assert.match(textOf(invokeCard(late)), /Already decided\. Denied by Lidia Holloway at .*Contract ended/);
    const item = (await reviewOf(desk, BA)).items.find((i) => i.assignmentId === patsAccess.id)!;
    assert.equal(item.decision?.outcome, "deny");
    assert.equal(item.decision?.by, lidia);
    assert.ok(textOf(cardOf(updated)).includes("Contract ended"));
  });
});
