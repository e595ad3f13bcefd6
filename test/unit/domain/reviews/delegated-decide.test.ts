import { strict as assert } from "node:assert";
import { decideRemainingItems, decideReviewItem } from "../../../../src/domain/reviews";
import type { AccessReview, ReviewItem, ReviewSettings } from "../../../../src/domain/model";

const NOW = "2026-12-02T00:00:00.000Z";
const settings: ReviewSettings = {
  recurrence: "monthly",
  startDate: "2026-12-01T00:00:00.000Z",
  durationDays: 14,
  reviewers: [{ kind: "manager", level: 1 }],
  fallbackReviewers: [],
  justificationRequired: false,
  ifNoResponse: "keep",
};

const item = (userId: string, reviewers = ["megan"]): ReviewItem => ({
  assignmentId: `asg-${userId}`,
  userId,
  reviewers,
  recommendation: "approve",
  recommendationReason: "signed in lately",
});

/** Megan reviews Ana, Diego (her delegate) and herself (a self-review); Lidia reviews Ben. */
const review: AccessReview = {
  id: "rev",
  packageId: "pkg",
  policyId: "pol",
  period: "2026-12",
  startAt: "2026-12-01T00:00:00.000Z",
  endAt: "2026-12-15T00:00:00.000Z",
  state: "inProgress",
  items: [item("ana"), item("diego"), item("megan"), item("ben", ["lidia"])],
  createdAt: "2026-12-01T00:00:00.000Z",
  revision: 1,
};

describe("a delegate decides review items for the reviewer away", () => {
  const cases: Array<{ name: string; actor: string; principals: string[]; user: string; result: string }> = [
    {
      name: "a delegate decides for the reviewer",
      actor: "diego",
      principals: ["megan"],
      user: "ana",
      result: "diego for megan",
    },
    {
      name: "a reviewer decides as themselves",
      actor: "megan",
      principals: [],
      user: "ana",
      result: "megan",
    },
    {
      name: "never the delegate's own access",
      actor: "diego",
      principals: ["megan"],
      user: "diego",
      result: "You can't review your own access for someone else.",
    },
    {
      name: "never the reviewer's self-review by proxy",
      actor: "diego",
      principals: ["megan"],
      user: "megan",
      result: "You are not a reviewer of this access.",
    },
    {
      name: "not an item of the reviewer they stand in for",
      actor: "diego",
      principals: ["megan"],
      user: "ben",
      result: "You are not a reviewer of this access.",
    },
    {
      name: "nobody without a delegation",
      actor: "diego",
      principals: [],
      user: "ana",
      result: "You are not a reviewer of this access.",
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const cmd = {
        actorId: c.actor,
        assignmentId: `asg-${c.user}`,
        outcome: "approve" as const,
        justification: "ok",
        principals: c.principals,
      };
      const result = decideReviewItem(review, settings, cmd, NOW);
      if (!result.ok) return assert.equal(result.error.message, c.result);
      const decision = result.value.next.items.find((i) => i.userId === c.user)!.decision!;
      assert.equal(decision.onBehalfOf ? `${decision.by} for ${decision.onBehalfOf}` : decision.by, c.result);
    });

  it("decides the remaining items the delegate may decide, and only those, each for the reviewer", () => {
    const result = decideRemainingItems(
      review,
      settings,
      { actorId: "diego", outcome: "recommendation", justification: "", principals: ["megan"] },
      NOW,
    );
    assert.ok(result.ok);
    const decided = result.value.next.items.filter((i) => i.decision);
    assert.deepEqual(
      decided.map((i) => `${i.userId}: ${i.decision!.by} for ${i.decision!.onBehalfOf}`),
      ["ana: diego for megan"],
    );
  });
});
