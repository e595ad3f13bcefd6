import { strict as assert } from "node:assert";
import {
  decideReviewItem,
  escalateReview,
  reviewEscalateAt,
  startReview,
} from "../../../../src/domain/reviews";
import type { AccessReview, ReviewItem, ReviewSettings } from "../../../../src/domain/model";

const START = "2026-12-01T00:00:00.000Z";
const DAY3 = "2026-12-04T00:00:00.000Z";
const DAY2 = "2026-12-03T00:00:00.000Z";

const settings = (patch: Partial<ReviewSettings> = {}): ReviewSettings => ({
  recurrence: "monthly",
  startDate: START,
  durationDays: 14,
  reviewers: [{ kind: "manager", level: 1 }],
  fallbackReviewers: [{ kind: "users", userIds: ["backup"] }],
  escalateAfterDays: 3,
  justificationRequired: false,
  ifNoResponse: "keep",
  ...patch,
});

const item = (id: string, patch: Partial<ReviewItem> = {}): ReviewItem => ({
  assignmentId: id,
  userId: `user-${id}`,
  reviewers: ["manager"],
  recommendation: "none",
  recommendationReason: "",
  ...patch,
});

function started(items: ReviewItem[], s = settings()): { review: AccessReview; deadlines: string[] } {
  const step = startReview({
    policy: { id: "pol", packageId: "pkg" },
    settings: s,
    occurrenceStart: START,
    items,
    now: START,
  });
  return { review: step.next, deadlines: step.deadlines.map((d) => `${d.kind}@${d.dueAt}`) };
}

const fallback = { a1: ["backup"], a2: ["backup"], a3: ["backup", "user-a3"] };

describe("review escalation", () => {
  it("schedules the escalation N days after the start, only when the policy escalates", () => {
    assert.ok(started([]).deadlines.includes(`reviewEscalation@${DAY3}`));
    const cases: Array<Partial<ReviewSettings>> = [
      { escalateAfterDays: undefined },
      { fallbackReviewers: [] },
      { escalateAfterDays: 14 },
    ];
    for (const patch of cases) {
      assert.ok(!started([], settings(patch)).deadlines.some((d) => d.startsWith("reviewEscalation")));
    }
  });

  it("adds the fallback reviewers to the undecided items only, and says so", () => {
    const { review } = started([
      item("a1"),
      item("a2", { decision: { outcome: "approve", by: "manager", at: START, justification: "" } }),
    ]);
    const step = escalateReview(review, fallback, reviewEscalateAt(review, settings())!, DAY3);
    assert.equal(step.changed, true);
    assert.deepEqual(step.next.items[0]!.reviewers, ["manager", "backup"]);
    assert.deepEqual(step.next.items[0]!.addedReviewers, ["backup"]);
    assert.deepEqual(step.next.items[1]!.reviewers, ["manager"]);
    assert.equal(step.next.escalatedAt, DAY3);
    assert.deepEqual(step.events, [
      { type: "ReviewEscalated", reviewId: review.id, reviewerIds: ["backup"], assignmentIds: ["a1"] },
    ]);
  });

  it("never makes someone the reviewer of their own access", () => {
    const { review } = started([item("a3")]);
    const step = escalateReview(review, fallback, DAY3, DAY3);
    assert.deepEqual(step.next.items[0]!.reviewers, ["manager", "backup"]);
  });

  const unchangedCases: Array<[string, () => AccessReview, string]> = [
    ["before the escalation time", () => started([item("a1")]).review, DAY2],
    [
      "when escalated a second time",
      () => escalateReview(started([item("a1")]).review, fallback, DAY3, DAY3).next,
      DAY3,
    ],
    [
      "for a completed review",
      () => ({ ...started([item("a1")]).review, state: "completed" as const }),
      DAY3,
    ],
    [
      "items whose fallback already reviews them",
      () => started([item("a1", { reviewers: ["backup"] })]).review,
      DAY3,
    ],
  ];
  for (const [name, make, now] of unchangedCases) {
    it(`changes nothing ${name}`, () => {
      const review = make();
      const step = escalateReview(review, fallback, DAY3, now);
      assert.equal(step.changed, false);
      assert.deepEqual(step.next, review);
    });
  }

  it("lets the added reviewer decide the item", () => {
    const { review } = started([item("a1")]);
    const escalated = escalateReview(review, fallback, DAY3, DAY3).next;
    const decided = decideReviewItem(
      escalated,
      settings(),
      { actorId: "backup", assignmentId: "a1", outcome: "deny", justification: "left the team" },
      DAY3,
    );
    assert.ok(decided.ok, JSON.stringify(decided));
    assert.equal(decided.value.next.items[0]!.decision?.by, "backup");
  });
});
