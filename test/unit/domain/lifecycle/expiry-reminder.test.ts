import { strict as assert } from "node:assert";
import { remindExpiry } from "../../../../src/domain/lifecycle";
import type { Assignment, AssignmentPolicy } from "../../../../src/domain/model";
import { assignment } from "../support/assignments";
import { twoStagePolicy } from "../support/fixtures";

const END = "2026-12-23T10:00:00.000Z";
const DAY_BEFORE = { dueAt: "2026-12-22T10:00:00.000Z", discriminator: "24" };
const NOW = DAY_BEFORE.dueAt;
const extendable = (allowed: boolean): AssignmentPolicy => {
  const p = twoStagePolicy();
  return { ...p, lifecycle: { ...p.lifecycle, extension: { allowed, requiresApproval: false } } };
};

describe("remindExpiry", () => {
  it("records the reminder once and tells the user, with Extend when the policy allows it", () => {
    const result = remindExpiry(assignment(), DAY_BEFORE, { now: NOW, policy: extendable(true) });
    assert.ok(result.ok && result.value.changed);
    const { next, events, deadlines } = result.value;
    assert.deepEqual([next.remindersSent, next.updatedAt, next.revision], [["24"], NOW, 2]);
    assert.deepEqual(events, [
      { type: "ExpiryReminderDue", assignmentId: "asg-1", endAt: END, offsetHours: 24, canExtend: true },
    ]);
    assert.deepEqual(deadlines, []);
  });

  it("offers no Extend when the policy does not allow it or no longer exists", () => {
    const canExtend = (policy?: AssignmentPolicy) => {
      const result = remindExpiry(assignment(), DAY_BEFORE, { now: NOW, policy });
      return result.ok ? result.value.events.map((e) => e.type === "ExpiryReminderDue" && e.canExtend) : [];
    };
    assert.deepEqual([canExtend(extendable(false)), canExtend(undefined)], [[false], [false]]);
  });

  const noOps: Array<[string, Partial<Assignment>, typeof DAY_BEFORE]> = [
    ["a reminder already sent", { remindersSent: ["24"] }, DAY_BEFORE],
    ["an assignment that ended", { state: "removed" }, DAY_BEFORE],
    ["an assignment that never expires", { endAt: undefined }, DAY_BEFORE],
    ["a deadline set for an earlier end (stale)", { endAt: "2027-01-23T10:00:00.000Z" }, DAY_BEFORE],
    ["a deadline with a bad offset", {}, { ...DAY_BEFORE, discriminator: "soon" }],
  ];
  for (const [name, patch, deadline] of noOps) {
    it(`does nothing for ${name}`, () => {
      const before = assignment(patch);
      const result = remindExpiry(before, deadline, { now: NOW, policy: extendable(true) });
      assert.ok(result.ok);
      assert.deepEqual(result.value, { next: before, events: [], deadlines: [], changed: false });
    });
  }

  it("does nothing once the end has passed", () => {
    const result = remindExpiry(assignment(), DAY_BEFORE, { now: END, policy: extendable(true) });
    assert.equal(result.ok && result.value.changed, false);
  });
});
