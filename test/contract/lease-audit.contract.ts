import assert from "node:assert/strict";
import { aRequest, anAssignment, anAuditEntry, at } from "./fixtures";
import type { StoreContext } from "./harness";

const MINUTE = 60_000;

export function leaseContract(ctx: StoreContext): void {
  describe("leases", () => {
    it("has one holder at a time until the lease expires, then another takes over", async () => {
      const { leases } = ctx.stores();
      assert.equal(await leases.acquire("sweeper", "node-1", at(0), 5 * MINUTE), true);
      assert.equal(await leases.acquire("sweeper", "node-2", at(4), 5 * MINUTE), false);
      assert.equal(await leases.acquire("sweeper", "node-2", at(5), 5 * MINUTE), true);
      assert.equal(await leases.acquire("sweeper", "node-1", at(6), 5 * MINUTE), false);
    });

    it("lets the holder renew, extending the lease", async () => {
      const { leases } = ctx.stores();
      await leases.acquire("sweeper", "node-1", at(0), 5 * MINUTE);
      assert.equal(await leases.acquire("sweeper", "node-1", at(4), 5 * MINUTE), true);
      assert.equal(await leases.acquire("sweeper", "node-2", at(8), 5 * MINUTE), false);
    });

    it("frees the lease on release by the holder only", async () => {
      const { leases } = ctx.stores();
      await leases.acquire("sweeper", "node-1", at(0), 5 * MINUTE);
      await leases.release("sweeper", "node-2");
      assert.equal(await leases.acquire("sweeper", "node-2", at(1), 5 * MINUTE), false);
      await leases.release("sweeper", "node-1");
      assert.equal(await leases.acquire("sweeper", "node-2", at(1), 5 * MINUTE), true);
    });

    it("gives a contested lease to exactly one of two nodes", async () => {
      const { leases } = ctx.stores();
      await leases.acquire("sweeper", "node-0", at(0), MINUTE);
      const won = await Promise.all(
        ["node-1", "node-2"].map((n) => leases.acquire("sweeper", n, at(2), MINUTE)),
      );
      assert.equal(won.filter(Boolean).length, 1);
      const fresh = await Promise.all(
        ["node-1", "node-2"].map((n) => leases.acquire("other/lease#1", n, at(0), MINUTE)),
      );
      assert.equal(fresh.filter(Boolean).length, 1);
    });
  });
}

export function auditContract(ctx: StoreContext): void {
  describe("audit log", () => {
    it("returns a subject's entries newest first", async () => {
      const { audit } = ctx.stores();
      const first = anAuditEntry({ subject: "request:r/1", at: at(1) });
      const second = anAuditEntry({ subject: "request:r/1", at: at(2), action: "request.approved" });
      await audit.append([first, anAuditEntry({ subject: "request:other", at: at(3) })]);
      await audit.append([second]);
      assert.deepEqual(await audit.query({ subject: "request:r/1" }), [second, first]);
    });

    it("returns a user's entries newest first, up to the limit", async () => {
      const { audit } = ctx.stores();
      const entries = [1, 2, 3].map((m) => anAuditEntry({ targetUserId: "user-bob", at: at(m) }));
      await audit.append([...entries, anAuditEntry({ targetUserId: "user-eve" })]);
      const found = await audit.query({ targetUserId: "user-bob", limit: 2 });
      assert.deepEqual(
        found.map((e) => e.id),
        [entries[2]!.id, entries[1]!.id],
      );
    });

    it("answers time ranges across days: from inclusive, to exclusive", async () => {
      const { audit } = ctx.stores();
      const day = 24 * 60;
      const entries = [-2 * day, -day, 0, 30, day].map((m) => anAuditEntry({ at: at(m) }));
      await audit.append(entries);
      const found = await audit.query({ from: at(-day), to: at(day) });
      assert.deepEqual(
        found.map((e) => e.at),
        [at(30), at(0), at(-day)],
      );
      const all = await audit.query({});
      assert.deepEqual(
        all.map((e) => e.at),
        [at(day), at(30), at(0), at(-day), at(-2 * day)],
      );
      assert.equal((await audit.query({ subject: "request:r1", from: at(0), to: at(31) })).length, 2);
    });

    it("finds a person's request by its subject alone, with the entries that name nobody", async () => {
      const { audit, requests } = ctx.stores();
      const request = aRequest({ targetUserId: "user-bob" });
      await requests.create(request);
      const subject = `request:${request.id}`;
      const submitted = anAuditEntry({ subject, targetUserId: "user-bob", at: at(1) });
      const refused = anAuditEntry({ subject, action: "request.refused", actor: "user-eve", at: at(2) });
      const approved = anAuditEntry({
        subject,
        targetUserId: "user-bob",
        action: "request.approved",
        at: at(3),
      });
      await audit.append([
        submitted,
        refused,
        approved,
        anAuditEntry({ targetUserId: "user-bob", at: at(4) }),
      ]);
      assert.deepEqual(await audit.query({ subject }), [approved, refused, submitted]);
      assert.deepEqual(await audit.query({ subject, targetUserId: "user-bob" }), [approved, submitted]);
      assert.deepEqual(await audit.query({ subject, limit: 1 }), [approved]);
      assert.deepEqual(await audit.query({ subject, from: at(2), to: at(3) }), [refused]);
    });

    it("finds by a request's subject an entry about it that names someone else", async () => {
      const { audit, requests } = ctx.stores();
      const request = aRequest({ targetUserId: "user-bob" });
      await requests.create(request);
      const subject = `request:${request.id}`;
      const submitted = anAuditEntry({ subject, targetUserId: "user-bob", at: at(1) });
      const unreachable = anAuditEntry({
        subject,
        action: "notification.undeliverable",
        actor: "system",
        targetUserId: "user-eve",
        at: at(2),
      });
      await audit.append([submitted, unreachable]);
      assert.deepEqual(await audit.query({ subject }), [unreachable, submitted]);
      assert.deepEqual(await audit.query({ targetUserId: "user-eve" }), [unreachable]);
    });

    it("lists a person's entries once each, whatever their subjects", async () => {
      const { audit, assignments } = ctx.stores();
      const assignment = anAssignment({ userId: "user-bob" });
      await assignments.create(assignment);
      const entries = [
        anAuditEntry({ subject: "request:r-bob", targetUserId: "user-bob", at: at(1) }),
        anAuditEntry({ subject: `assignment:${assignment.id}`, targetUserId: "user-bob", at: at(2) }),
        anAuditEntry({ subject: "package:pkg-1", targetUserId: "user-bob", at: at(3) }),
      ];
      await audit.append(entries);
      assert.deepEqual(await audit.query({ targetUserId: "user-bob" }), [...entries].reverse());
      assert.deepEqual(await audit.query({ subject: `assignment:${assignment.id}` }), [entries[1]]);
      assert.deepEqual(await audit.query({ subject: "package:pkg-1" }), [entries[2]]);
    });

    it("finds the entries of a request it cannot read, day by day", async () => {
      const { audit } = ctx.stores();
      const day = 24 * 60;
      const older = anAuditEntry({ subject: "request:gone", targetUserId: "user-bob", at: at(-day) });
      const newer = anAuditEntry({ subject: "request:gone", targetUserId: "user-bob", at: at(0) });
      await audit.append([older, newer, anAuditEntry({ targetUserId: "user-bob", at: at(1) })]);
      assert.deepEqual(await audit.query({ subject: "request:gone" }), [newer, older]);
    });

    it("keeps one copy of an entry appended twice", async () => {
      const { audit } = ctx.stores();
      const entry = anAuditEntry({ targetUserId: "user-bob", details: { card: "approval" } });
      await audit.append([entry]);
      await audit.append([entry]);
      assert.deepEqual(await audit.query({ targetUserId: "user-bob" }), [entry]);
    });
  });
}
