import { strict as assert } from "node:assert";
import { createAssignment } from "../../../../src/domain/assignment/create-assignment";
import {
  recordProvisioning,
  resourcesToGrant,
  type GrantOutcome,
} from "../../../../src/domain/assignment/delivery";
import { expiryEnd } from "../../../../src/domain/assignment/expiry";
import type { AssignmentPolicy, Expiry } from "../../../../src/domain/model";
import { accessPackage, NOW, submitted, twoStagePolicy } from "../support/fixtures";
import { assignment, bi, sap } from "../support/assignments";

const withExpiry = (expiry: Expiry): AssignmentPolicy => {
  const p = twoStagePolicy();
  return { ...p, lifecycle: { ...p.lifecycle, expiry } };
};

describe("expiryEnd", () => {
  const table: Array<[Expiry, string | undefined]> = [
    [{ kind: "never" }, undefined],
    [{ kind: "onDate", date: "2027-01-01T00:00:00.000Z" }, "2027-01-01T00:00:00.000Z"],
    [{ kind: "afterDays", days: 30 }, "2026-12-23T10:00:00.000Z"],
    [{ kind: "afterHours", hours: 8 }, "2026-11-23T18:00:00.000Z"],
  ];
  for (const [expiry, expected] of table) {
    it(`ends ${expiry.kind} access at ${expected ?? "no date"}`, () =>
      assert.equal(expiryEnd(expiry, NOW), expected));
  }
});

describe("createAssignment", () => {
  const delivering = submitted({ state: "delivering" });
  const ctx = { now: NOW, id: "asg-9", heldBefore: [true, false] };

  it("starts now and ends 30 days later under the seed's policy", () => {
    const result = createAssignment(delivering, twoStagePolicy(), accessPackage(), ctx);
    assert.ok(result.ok);
    const a = result.value.next;
    assert.deepEqual([a.startAt, a.endAt, a.state], [NOW, "2026-12-23T10:00:00.000Z", "delivering"]);
    assert.deepEqual(
      a.resources.map((r) => [r.status, r.heldBefore]),
      [
        ["pending", true],
        ["pending", false],
      ],
    );
  });

  it("sets expiry reminders 14 days and 1 day before the end, then the expiry", () => {
    const result = createAssignment(delivering, twoStagePolicy(), accessPackage(), ctx);
    assert.ok(result.ok);
    assert.deepEqual(
      result.value.deadlines.map((d) => [d.kind, d.dueAt, d.discriminator]),
      [
        ["expiryReminder", "2026-12-09T10:00:00.000Z", "336"],
        ["expiryReminder", "2026-12-22T10:00:00.000Z", "24"],
        ["expiry", "2026-12-23T10:00:00.000Z", "end"],
      ],
    );
  });

  it("caps a requested end at the policy's expiry from the start", () => {
    const request = submitted({
      state: "delivering",
      schedule: { startAt: "2026-12-01T00:00:00.000Z", endAt: "2027-06-01T00:00:00.000Z" },
    });
    const result = createAssignment(request, twoStagePolicy(), accessPackage(), ctx);
    assert.ok(result.ok);
    assert.deepEqual(
      [result.value.next.startAt, result.value.next.endAt],
      ["2026-12-01T00:00:00.000Z", "2026-12-31T00:00:00.000Z"],
    );
  });

  it("has no end and no deadlines when access never expires", () => {
    const result = createAssignment(delivering, withExpiry({ kind: "never" }), accessPackage(), ctx);
    assert.ok(result.ok);
    assert.equal(result.value.next.endAt, undefined);
    assert.deepEqual(result.value.deadlines, []);
  });

  it("refuses a request that is not being delivered", () => {
    const result = createAssignment(submitted(), twoStagePolicy(), accessPackage(), ctx);
    assert.equal(!result.ok && result.error.code, "REQUEST.NOT_PENDING");
  });
});

describe("recordProvisioning", () => {
  const pending = assignment({
    state: "delivering",
    resources: [bi, sap].map((role) => ({
      role,
      status: "pending" as const,
      attempts: 0,
      heldBefore: false,
    })),
  });
  const done: GrantOutcome = { status: "done" };
  const transient: GrantOutcome = { status: "failed", retryable: true, error: "503" };
  const fatal: GrantOutcome = { status: "failed", retryable: false, error: "404 group" };

  const table: Array<[string, GrantOutcome[], string, number]> = [
    ["is delivered when every grant succeeds", [done, { status: "unchanged" }], "delivered", 0],
    ["is partially delivered when one grant fails", [done, fatal], "partiallyDelivered", 0],
    ["is partially delivered and retries a transient failure", [done, transient], "partiallyDelivered", 1],
    ["keeps delivering while only retries remain", [transient, transient], "delivering", 1],
    ["has failed when every grant fails for good", [fatal, fatal], "deliveryFailed", 0],
  ];
  for (const [name, outcomes, state, retries] of table) {
    it(name, () => {
      const result = recordProvisioning(pending, [0, 1], outcomes, { now: NOW });
      assert.ok(result.ok);
      assert.equal(result.value.next.state, state);
      assert.equal(result.value.deadlines.filter((d) => d.kind === "deliveryRetry").length, retries);
    });
  }

  it("backs off exponentially and honours Retry-After", () => {
    const first = recordProvisioning(pending, [0, 1], [done, transient], { now: NOW });
    assert.ok(first.ok);
    assert.equal(first.value.next.resources[1]!.nextAttemptAt, "2026-11-23T10:01:00.000Z");
    const later = "2026-11-23T10:01:00.000Z";
    assert.deepEqual(resourcesToGrant(first.value.next, later), [1]);
    const second = recordProvisioning(
      first.value.next,
      [1],
      [{ ...transient, retryAfterMs: 600_000 } as GrantOutcome],
      { now: later },
    );
    assert.ok(second.ok);
    assert.equal(second.value.next.resources[1]!.nextAttemptAt, "2026-11-23T10:11:00.000Z");
  });

  it("gives up after the last attempt", () => {
    let a = pending;
    for (let i = 0; i < 6; i += 1) {
      const r = recordProvisioning(a, [1], [transient], { now: NOW });
      assert.ok(r.ok);
      a = r.value.next;
    }
    assert.equal(a.resources[1]!.nextAttemptAt, undefined);
    assert.deepEqual(resourcesToGrant(a, "2030-01-01T00:00:00.000Z"), [0]);
    assert.deepEqual(resourcesToGrant(a, NOW, true), [0, 1]);
  });
});
