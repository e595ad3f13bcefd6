import assert from "node:assert/strict";
import { TABLES, type TableStores } from "../../src/adapters/tables";
import { purgeAudit, readAudit, verifyAudit } from "../../src/app/audit";
import { pendingMigration } from "../../src/composition/storage-migration";
import type { AuditEntry } from "../../src/domain/model";
import { WriteSequence } from "../support/faulty-table-client";
import { isLifecycleEntry, loadFixture, newestFirst, oldLayout, people, str } from "./old-layout";

/**
 * A store written by commit 7bbb26e's own code (two lifecycles and a half-approved request over two
 * days, captured by test/migration/capture-old-layout.ts), whose audit entries about a person's
 * request or assignment had their subject copy in `s|<subject>`. Today's code reads it as it is;
 * `npm run storage -- migrate` moves those copies into the person's partition.
 */
const FIXTURE = loadFixture("7bbb26e");
const audit = FIXTURE.tables.Audit ?? [];
const entries = audit
  .filter((r) => r.partitionKey.startsWith("d|") && r.rowKey !== "~head")
  .map((r) => JSON.parse(str(r, "json")) as AuditEntry);
const earlierCopies = audit.filter(
  (r) =>
    /^s\|(request|assignment):/.test(r.partitionKey) &&
    isLifecycleEntry(JSON.parse(str(r, "json")) as AuditEntry),
);
const subjects = [...new Set(earlierCopies.map((r) => r.partitionKey.slice(2)))];
const STEP = "audit-person-copies";

describe("npm run storage -- migrate: audit copies of a store written by 7bbb26e", function () {
  this.timeout(120_000);
  const { client, storeOf, context, moved, snapshot, cutAndResumed } = oldLayout();

  /** What the trail answers: each subject's and each person's entries, newest first. */
  async function trail(stores: TableStores): Promise<Record<string, string[]>> {
    const answers: Record<string, string[]> = {};
    for (const subject of subjects)
      answers[subject] = (await readAudit(stores.audit, { subject, limit: 1000 })).map((e) => e.id);
    for (const person of people)
      answers[person] = (await readAudit(stores.audit, { targetUserId: person, limit: 1000 })).map(
        (e) => e.id,
      );
    return answers;
  }

  const expected = (): Record<string, string[]> => {
    const sorted = [...entries].sort(newestFirst);
    return Object.fromEntries([
      ...subjects.map((s) => [s, sorted.filter((e) => e.subject === s).map((e) => e.id)]),
      ...people.map((p) => [p, sorted.filter((e) => e.targetUserId === p).map((e) => e.id)]),
    ]);
  };

  /** Rows of the Audit table in subject partitions of a request or an assignment. */
  async function subjectRows(prefix: string): Promise<number> {
    let n = 0;
    for await (const row of client(prefix, TABLES.audit).listEntities())
      if (/^s\|(request|assignment):/.test(row.partitionKey!)) n += 1;
    return n;
  }

  it("holds subject copies in s|<subject> that today's code reads as they are, and verifies", async () => {
    assert.ok(earlierCopies.length >= 20, `${earlierCopies.length} copies`);
    assert.ok(
      subjects.some((s) => s.startsWith("assignment:")) && subjects.some((s) => s.startsWith("request:")),
    );
    const { stores } = await storeOf(FIXTURE);
    assert.deepEqual(await trail(stores), expected());
    const verified = await verifyAudit(stores.audit);
    assert.ok(verified.ok, JSON.stringify(!verified.ok && verified.finding));
  });

  it("moves them into the person's partition; the trail answers the same, verifies, and a second run moves 0", async () => {
    const { prefix, stores } = await storeOf(FIXTURE);
    const ctx = context(prefix);
    const pending = Object.fromEntries(
      (await pendingMigration(ctx)).map(({ step, pending: p }) => [step.name, p.rows]),
    );
    assert.deepEqual(pending, {
      tables: 0,
      "due-work": 0,
      "approver-groups": 0,
      "audit-chain": 0,
      [STEP]: earlierCopies.length,
    });
    assert.equal((await moved(ctx))[STEP], earlierCopies.length);
    assert.equal(await subjectRows(prefix), 0);
    assert.deepEqual(await trail(stores), expected());
    const verified = await verifyAudit(stores.audit);
    assert.ok(verified.ok, JSON.stringify(!verified.ok && verified.finding));
    assert.equal(verified.summary.copies, entries.length * 2);

    const before = await snapshot(prefix);
    assert.equal((await moved(ctx))[STEP], 0);
    assert.deepEqual(await snapshot(prefix), before);
  });

  it("resumes a run cut at any of its writes, before or after storage carried it out, to the same end state", async () => {
    const { prefix: cleanPrefix } = await storeOf(FIXTURE);
    const counted = new WriteSequence();
    await moved(context(cleanPrefix, (c) => counted.wrap(c)));
    const clean = await snapshot(cleanPrefix);
    const ours = counted.writes.filter((w) => w.table.endsWith(TABLES.audit));
    // The inserts into people's partitions, then the deletes of the old copies.
    assert.ok(ours.length >= 4, `${ours.length} writes`);
    const cuts = ours.flatMap((w) => [false, true].map((lostAnswer) => ({ n: w.index, lostAnswer })));
    for (let i = 0; i < cuts.length; i += 4)
      await Promise.all(cuts.slice(i, i + 4).map(({ n, lostAnswer }) => cutAndResume(n, lostAnswer)));

    async function cutAndResume(n: number, lostAnswer: boolean): Promise<void> {
      const lost = lostAnswer ? ", answer lost" : "";
      assert.deepEqual(
        await cutAndResumed(() => storeOf(FIXTURE), n, lostAnswer),
        clean,
        `cut at write ${n} (${counted.writes[n - 1]?.method ?? ""}${lost})`,
      );
    }
  });

  it("purges a day's earlier copies with the day, before anyone migrated", async () => {
    const { prefix, stores } = await storeOf(FIXTURE);
    const purged = await purgeAudit(stores.audit, new Date("2026-12-01T02:00:00.000Z"), 10);
    assert.deepEqual(purged.days, ["2026-11-20"]);
    const gone = new Set(entries.filter((e) => e.at.startsWith("2026-11-20")).map((e) => e.id));
    assert.ok(gone.size > 0);
    const left: string[] = [];
    for await (const row of client(prefix, TABLES.audit).listEntities())
      if (typeof row.json === "string" && gone.has((JSON.parse(row.json) as AuditEntry).id))
        left.push(`${row.partitionKey!} ${row.rowKey!}`);
    assert.deepEqual(left, []);
    const verified = await verifyAudit(stores.audit);
    assert.ok(verified.ok, JSON.stringify(!verified.ok && verified.finding));
  });

  it("two runs at once end as one run does", async () => {
    const { prefix: cleanPrefix } = await storeOf(FIXTURE);
    await moved(context(cleanPrefix));
    const { prefix } = await storeOf(FIXTURE);
    await Promise.all([moved(context(prefix)), moved(context(prefix))]);
    assert.deepEqual(await snapshot(prefix), await snapshot(cleanPrefix));
  });
});
