import assert from "node:assert/strict";
import {
  isOccurrence,
  nextOccurrence,
  occurrenceAt,
  occurrenceToSchedule,
  periodLabel,
  planExpiryReminder,
} from "../../src/domain/lifecycle";
import type { Assignment, ReviewSettings } from "../../src/domain/model";
import { completeReview, recommendReviewDecision } from "../../src/domain/reviews";

const settings = (recurrence: ReviewSettings["recurrence"], startDate: string): ReviewSettings => ({
  recurrence,
  startDate,
  durationDays: 14,
  reviewers: [],
  fallbackReviewers: [],
  justificationRequired: false,
  ifNoResponse: "keep",
});

describe("time rules", () => {
  for (const [recurrence, n, expected] of [
    ["monthly", 1, "2026-02-28T08:00:00.000Z"],
    ["monthly", 2, "2026-03-31T08:00:00.000Z"],
    ["quarterly", 1, "2026-04-30T08:00:00.000Z"],
    ["semiAnnual", 1, "2026-07-31T08:00:00.000Z"],
    ["annual", 3, "2029-01-31T08:00:00.000Z"],
  ] as const) {
    it(`puts occurrence ${n} of a ${recurrence} review starting Jan 31 on ${expected.slice(0, 10)}`, () => {
      assert.equal(occurrenceAt(settings(recurrence, "2026-01-31T08:00:00.000Z"), n), expected);
    });
  }

  it("schedules the current occurrence while its window is open, else the next", () => {
    const s = settings("monthly", "2026-01-10T00:00:00.000Z");
    assert.equal(occurrenceToSchedule(s, "2025-12-01T00:00:00.000Z"), "2026-01-10T00:00:00.000Z");
    assert.equal(occurrenceToSchedule(s, "2026-03-15T00:00:00.000Z"), "2026-03-10T00:00:00.000Z");
    assert.equal(occurrenceToSchedule(s, "2026-03-25T00:00:00.000Z"), "2026-04-10T00:00:00.000Z");
    assert.equal(nextOccurrence(s, "2026-03-10T00:00:00.000Z"), "2026-04-10T00:00:00.000Z");
    assert.equal(isOccurrence(s, "2026-03-10T00:00:00.000Z"), true);
    assert.equal(isOccurrence(s, "2026-03-11T00:00:00.000Z"), false);
    assert.equal(periodLabel("2026-03-10T00:00:00.000Z"), "2026-03");
  });

  it("treats a reminder deadline set for an earlier end date as stale", () => {
    const a = {
      state: "delivered",
      endAt: "2026-12-01T00:00:00.000Z",
      remindersSent: [],
    } as unknown as Assignment;
    assert.equal(
      planExpiryReminder(
        a,
        { dueAt: "2026-11-30T00:00:00.000Z", discriminator: "24" },
        "2026-11-30T00:00:00.000Z",
      ).send,
      true,
    );
    const stale = planExpiryReminder(
      a,
      { dueAt: "2026-11-20T00:00:00.000Z", discriminator: "24" },
      "2026-11-20T00:00:00.000Z",
    );
    assert.deepEqual(stale, { send: false, why: "stale" });
  });

  for (const [user, expected] of [
    [undefined, "deny"],
    [{ accountEnabled: false, lastSignInAt: "2026-11-01T00:00:00.000Z" }, "deny"],
    [{ accountEnabled: true }, "none"],
    [{ accountEnabled: true, lastSignInAt: "2026-09-01T00:00:00.000Z" }, "deny"],
    [{ accountEnabled: true, lastSignInAt: "2026-11-01T00:00:00.000Z" }, "approve"],
  ] as const) {
    it(`recommends ${expected} for ${JSON.stringify(user)}`, () => {
      const u = user && {
        id: "u",
        displayName: "u",
        userPrincipalName: "u",
        userType: "Member" as const,
        ...user,
      };
      assert.equal(recommendReviewDecision(u, "2026-11-10T00:00:00.000Z").recommendation, expected);
    });
  }

  it("removes denied items and, under 'recommendation', unreviewed items recommended for denial", () => {
    const item = (
      assignmentId: string,
      recommendation: "approve" | "deny",
      decision?: "approve" | "deny",
    ) => ({
      assignmentId,
      userId: assignmentId,
      reviewers: ["m"],
      recommendation,
      recommendationReason: "r",
      ...(decision ? { decision: { outcome: decision, by: "m", at: "t", justification: "" } } : {}),
    });
    const review = {
      id: "r",
      packageId: "p",
      policyId: "pol",
      period: "2026-11",
      startAt: "2026-11-01T00:00:00.000Z",
      endAt: "2026-11-15T00:00:00.000Z",
      state: "inProgress" as const,
      items: [
        item("a", "approve", "deny"),
        item("b", "deny", "approve"),
        item("c", "deny"),
        item("d", "approve"),
      ],
      createdAt: "t",
      revision: 1,
    };
    const done = completeReview(review, { ifNoResponse: "recommendation" });
    assert.deepEqual(
      done.removals.map((r) => r.assignmentId),
      ["a", "c"],
    );
    assert.deepEqual(
      done.next.items.map((i) => i.applied),
      ["removed", "kept", "removed", "kept"],
    );
    assert.equal(completeReview(done.next, { ifNoResponse: "remove" }).changed, false);
  });
});
