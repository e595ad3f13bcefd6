import assert from "node:assert/strict";
import { TABLES } from "../../src/adapters/tables";
import { readAudit, verifyAudit } from "../../src/app/audit";
import { pendingMigration } from "../../src/composition/storage-migration";
import { WriteSequence, type TableWrite } from "../support/faulty-table-client";
import {
  NEW_ENTRY,
  halfApproved,
  newestFirst,
  oldDueRows,
  oldEntries,
  oldLayout,
  oldSubjectCopies,
  people,
  requestIds,
  securityTeam,
  str,
} from "./old-layout";

/**
 * A store written by commit 23d5e8c's own code (test/migration/old-layout.ts), migrated by
 * `npm run storage -- migrate` and then served by today's code.
 */
describe("npm run storage -- migrate: a store written by the previous layout (23d5e8c)", function () {
  this.timeout(60_000);
  const { client, oldStore, context, moved, snapshot, cutAndResumed } = oldLayout();

  it("before the migration, today's code cannot verify the trail it was given, but lists the team's approval", async () => {
    const { stores } = await oldStore();
    const verified = await verifyAudit(stores.audit);
    assert.equal(verified.ok, false);
    assert.equal(securityTeam.length, 3);
    for (const member of securityTeam)
      assert.deepEqual(
        (await stores.requests.listPendingForApprover(member)).map((r) => r.id),
        [halfApproved],
      );
  });

  /** The Requests table's approver rows: the members' own (`a|`), their notes (`~g|`), groups' (`g|`). */
  async function approverRows(prefix: string): Promise<string[]> {
    const rows: string[] = [];
    for await (const row of client(prefix, TABLES.requests).listEntities())
      if (/^[ag]\|/.test(row.partitionKey!))
        rows.push(
          `${row.partitionKey!.slice(0, 2)} ${row.rowKey!.startsWith("~") ? "note" : String(row.ref)}`,
        );
    return rows.sort();
  }

  it("moves every old row, and today's code then serves them: due work, audit queries, verify, requests", async () => {
    const { prefix, stores } = await oldStore();
    const ctx = context(prefix);
    const pending = Object.fromEntries(
      (await pendingMigration(ctx)).map(({ step, pending: p }) => [step.name, p.rows]),
    );
    assert.deepEqual(pending, {
      tables: 3,
      "due-work": oldDueRows.length,
      "approver-groups": 3,
      "audit-chain": oldEntries.length,
      "audit-person-copies": oldSubjectCopies.length,
    });

    assert.deepEqual(await moved(ctx), {
      tables: 3,
      "due-work": oldDueRows.length,
      "approver-groups": 3,
      "audit-chain": oldEntries.length,
      "audit-person-copies": oldSubjectCopies.length,
    });

    // The team's approval: one group row and a note per member instead of a row per member, and
    // each member still lists it.
    assert.deepEqual(await approverRows(prefix), ["a| note", "a| note", "a| note", `g| ${halfApproved}`]);
    for (const member of securityTeam)
      assert.deepEqual(
        (await stores.requests.listPendingForApprover(member)).map((r) => r.id),
        [halfApproved],
      );

    // Due work: every deadline the old code set, in the one partition, listed by a sweep.
    const due = await stores.due.listDue("2027-12-31T00:00:00.000Z", 1000);
    assert.deepEqual(
      due.map((d) => `${d.value.kind}|${d.value.subjectId}|${d.value.discriminator}`).sort(),
      oldDueRows.map((r) => `${str(r, "kind")}|${str(r, "subjectId")}|${str(r, "discriminator")}`).sort(),
    );

    // Audit: the chains verify, with every old entry and the new one chained.
    const verified = await verifyAudit(stores.audit);
    assert.ok(verified.ok, JSON.stringify(!verified.ok && verified.finding));
    assert.equal(verified.summary.entries, oldEntries.length + 1);
    // By person, by subject, by package and by time: the same entries as before the migration.
    for (const person of people) {
      const found = await readAudit(stores.audit, { targetUserId: person, limit: 1000 });
      const expected = [...oldEntries, NEW_ENTRY].filter((e) => e.targetUserId === person);
      assert.deepEqual(found.map((e) => e.id).sort(), expected.map((e) => e.id).sort());
    }
    const request = await readAudit(stores.audit, { subject: `request:${requestIds[0]}`, limit: 1000 });
    assert.ok(request.length > 0);
    assert.deepEqual(
      request,
      oldEntries.filter((e) => e.subject === `request:${requestIds[0]}`).sort(newestFirst),
    );
    const byPackage = await readAudit(stores.audit, { packageId: "business-analyst", limit: 1000 });
    assert.equal(
      byPackage.length,
      [...oldEntries, NEW_ENTRY].filter((e) => e.packageId === "business-analyst").length,
    );
    const sinceFirstDay = await readAudit(stores.audit, { from: "2026-11-20T00:00:00.000Z", limit: 1000 });
    assert.equal(sinceFirstDay.length, oldEntries.length + 1);

    // Requests and assignments: readable as they were (their layout did not change).
    for (const id of requestIds) assert.equal((await stores.requests.get(id))?.value.id, id);
    assert.equal((await stores.requests.listForUser(people[0]!, 10)).length, 1);
    assert.equal((await stores.assignments.listForUser(people[2]!)).length, 1);
    // New tables exist and work.
    assert.deepEqual(await stores.delegations.list(), []);

    // A second run moves nothing and changes nothing.
    const before = await snapshot(prefix);
    assert.deepEqual(await moved(ctx), {
      tables: 0,
      "due-work": 0,
      "approver-groups": 0,
      "audit-chain": 0,
      "audit-person-copies": 0,
    });
    assert.deepEqual(await snapshot(prefix), before);
    assert.deepEqual(
      (await pendingMigration(ctx)).map(({ pending: p }) => p.rows),
      [0, 0, 0, 0, 0],
    );
  });

  it("resumes a run cut short at any write, before or after storage carried it out, to the same end state", async () => {
    const { prefix: cleanPrefix } = await oldStore();
    const counted = new WriteSequence();
    await moved(context(cleanPrefix, (c) => counted.wrap(c)));
    const clean = await snapshot(cleanPrefix);
    const writes = counted.writes.length;
    assert.ok(writes > 20, `${writes} writes`);
    // Where to cut: a write of each kind that matters, before storage carries it out or after (the
    // answer lost). Due work: an hour's move, an old row's delete, a bucket row's delete. Approver
    // rows: a member's note, the group's row, the members' old rows' deletes. Audit: the
    // query copies, the marks of a closed day's rows, the append to the next open day, the old rows'
    // deletes, the in-place chaining of an open day (the run's last write).
    const all = counted.writes;
    const like = (w: TableWrite | undefined) => (w ? `${w.table.replace(cleanPrefix, "")} ${w.method}` : "");
    const first = (kind: string, after = 0) => all.find((w) => w.index > after && like(w) === kind)!.index;
    const last = (kind: string) => all.filter((w) => like(w) === kind).at(-1)!.index;
    const firstMark = first("Audit updateEntity");
    const cuts = [
      { n: first("DueWork submitTransaction"), lostAnswer: true },
      { n: first("DueWork deleteEntity"), lostAnswer: false },
      { n: last("DueWork deleteEntity"), lostAnswer: true },
      { n: first("Requests upsertEntity"), lostAnswer: true },
      { n: last("Requests upsertEntity"), lostAnswer: false },
      { n: first("Requests deleteEntity"), lostAnswer: false },
      { n: last("Requests deleteEntity"), lostAnswer: true },
      { n: first("Audit submitTransaction"), lostAnswer: true },
      { n: firstMark, lostAnswer: true },
      { n: last("Audit updateEntity"), lostAnswer: false },
      { n: first("Audit submitTransaction", firstMark), lostAnswer: false },
      { n: first("Audit submitTransaction", firstMark), lostAnswer: true },
      { n: first("Audit deleteEntity"), lostAnswer: false },
      { n: last("Audit deleteEntity"), lostAnswer: true },
      { n: writes, lostAnswer: false },
      { n: writes, lostAnswer: true },
    ];
    assert.equal(like(all[writes - 1]), "Audit submitTransaction");
    // A few at once: each works on its own tables.
    for (let i = 0; i < cuts.length; i += 4)
      await Promise.all(cuts.slice(i, i + 4).map(({ n, lostAnswer }) => cutAndResume(n, lostAnswer)));

    async function cutAndResume(n: number, lostAnswer: boolean): Promise<void> {
      assert.deepEqual(
        await cutAndResumed(oldStore, n, lostAnswer),
        clean,
        `cut at write ${n} of ${writes} (${like(all[n - 1])}${lostAnswer ? ", answer lost" : ""})`,
      );
    }
  });

  it("two runs at once (two operators, or a run beside a restarted one) end as one run does", async () => {
    const { prefix: cleanPrefix } = await oldStore();
    await moved(context(cleanPrefix));
    const { prefix } = await oldStore();
    await Promise.all([moved(context(prefix)), moved(context(prefix))]);
    assert.deepEqual(await snapshot(prefix), await snapshot(cleanPrefix));
  });
});
