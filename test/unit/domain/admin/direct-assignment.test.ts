import assert from "node:assert/strict";
import { directAssignmentEnd } from "../../../../src/domain/admin/direct-assignment";

const NOW = "2026-11-23T10:00:00.000Z";
const days90 = { kind: "afterDays" as const, days: 90 };

describe("the end an administrator sets upfront", () => {
  it("is n days from now, or the end of the named day, or the policy's default", () => {
    assert.deepEqual(directAssignmentEnd(NOW, { days: 10 }, days90), {
      ok: true,
      value: "2026-12-03T10:00:00.000Z",
    });
    assert.deepEqual(directAssignmentEnd(NOW, { until: "2027-01-31" }, days90), {
      ok: true,
      value: "2027-01-31T23:59:59.000Z",
    });
    assert.deepEqual(directAssignmentEnd(NOW, {}, days90), { ok: true, value: undefined });
  });

  it("refuses a past, unreadable or too late end, saying what is allowed", () => {
    const refused = (d: { until?: string; days?: number }) => {
      const r = directAssignmentEnd(NOW, d, days90);
      return r.ok ? "" : r.error.message;
    };
    assert.match(refused({ until: "2026-01-01" }), /must be in the future/);
    assert.match(refused({ until: "soon" }), /with its year/);
    assert.match(refused({ days: 0 }), /from 1 to 3650/);
    assert.match(refused({ until: "2027-06-30" }), /until 2027-02-21 at the latest/);
    assert.ok(directAssignmentEnd(NOW, { until: "2030-01-01" }, { kind: "never" }).ok);
  });
});
