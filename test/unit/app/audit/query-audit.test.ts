import { strict as assert } from "node:assert";
import { queryAudit, type QueryAuditInput } from "../../../../src/app/audit";
import type { AuditEntry } from "../../../../src/domain/model";
import { entry, governance, seededLog } from "./support";

async function ask(input: QueryAuditInput) {
  return queryAudit({ audit: await seededLog(), governance: governance() }, input);
}

function subjects(result: Awaited<ReturnType<typeof ask>>): string[] {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value.map((e: AuditEntry) => e.subject);
}

describe("queryAudit: who may read which audit entries", () => {
  const allowed: [string, QueryAuditInput, string[]][] = [
    [
      "a user reads the entries about themselves, newest first",
      { actorId: "alice", targetUserId: "alice" },
      ["request:req-a2", "request:req-a1"],
    ],
    [
      "a user narrows their own entries to one package they do not own",
      { actorId: "alice", targetUserId: "alice", packageId: "pkg-payroll" },
      ["request:req-a2"],
    ],
    [
      "a user narrows their own entries to one subject",
      { actorId: "bob", targetUserId: "bob", subject: "request:req-b1" },
      ["request:req-b1"],
    ],
    [
      "a catalog owner reads every entry of a package in their catalog, config changes included",
      { actorId: "olivia", packageId: "pkg-analyst" },
      ["package:pkg-analyst", "request:req-b1", "request:req-a1"],
    ],
    [
      "a catalog owner reads one user's entries within their package",
      { actorId: "hank", packageId: "pkg-payroll", targetUserId: "bob" },
      ["request:req-b2"],
    ],
  ];
  for (const [name, input, expected] of allowed) {
    it(name, async () => assert.deepEqual(subjects(await ask(input)), expected));
  }

  const refused: [string, QueryAuditInput, RegExp][] = [
    [
      "refuses a user reading another user's entries",
      { actorId: "alice", targetUserId: "bob" },
      /another user/,
    ],
    [
      "refuses a catalog owner reading a package of a catalog they do not own",
      { actorId: "olivia", packageId: "pkg-payroll" },
      /pkg-payroll: only owners of its catalog/,
    ],
    [
      "refuses a catalog owner reading another user's entries without naming their package",
      { actorId: "olivia", targetUserId: "bob" },
      /another user/,
    ],
    [
      "refuses a query that names neither the reader nor a package",
      { actorId: "olivia", subject: "request:req-b1" },
      /without naming yourself or a package/,
    ],
    ["refuses a package that does not exist", { actorId: "olivia", packageId: "pkg-ghost" }, /pkg-ghost/],
  ];
  for (const [name, input, message] of refused) {
    it(name, async () => {
      const result = await ask(input);
      assert.ok(!result.ok);
      assert.equal(result.error.code, "AUDIT.NOT_ALLOWED");
      assert.match(result.error.message, message);
    });
  }
});

describe("queryAudit: ranges and limits", () => {
  it("keeps from inclusive and to exclusive, accepting any ISO zone", async () => {
    const result = await ask({
      actorId: "olivia",
      packageId: "pkg-analyst",
      from: "2026-11-23T10:03:00Z",
      to: "2026-11-23T11:05:00+01:00",
    });
    assert.deepEqual(subjects(result), ["request:req-b1"]);
  });

  it("returns at most limit entries, the newest", async () => {
    const result = await ask({ actorId: "alice", targetUserId: "alice", limit: 1 });
    assert.deepEqual(subjects(result), ["request:req-a2"]);
  });

  it("finds a package's entries even when other packages fill the newest entries", async () => {
    const audit = await seededLog();
    const noise = Array.from({ length: 700 }, (_, i) =>
      entry(100 + i, { targetUserId: "carol", packageId: "pkg-payroll" }),
    );
    await audit.append(noise);
    const result = await queryAudit(
      { audit, governance: governance() },
      { actorId: "olivia", packageId: "pkg-analyst", limit: 2 },
    );
    assert.deepEqual(subjects(result), ["package:pkg-analyst", "request:req-b1"]);
  });

  const invalid: [string, Partial<QueryAuditInput>, string][] = [
    ["a date that is not ISO", { from: "23/11/2026" }, "from"],
    ["a day that does not exist", { to: "2026-02-30" }, "to"],
    ["a range that ends before it starts", { from: "2026-11-24", to: "2026-11-23" }, "to"],
    ["a limit of zero", { limit: 0 }, "limit"],
    ["a limit above 1000", { limit: 1001 }, "limit"],
    ["a fractional limit", { limit: 2.5 }, "limit"],
  ];
  for (const [name, patch, field] of invalid) {
    it(`rejects ${name}, naming the field`, async () => {
      const result = await ask({ actorId: "alice", targetUserId: "alice", ...patch });
      assert.ok(!result.ok);
      assert.equal(result.error.code, "AUDIT.INVALID_QUERY");
      assert.deepEqual(
        result.error.problems?.map((p) => p.field),
        [field],
      );
    });
  }
});
