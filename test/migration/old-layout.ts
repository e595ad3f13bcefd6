import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { TableClient, type TransactionAction } from "@azure/data-tables";
import { TABLES, type TableStores } from "../../src/adapters/tables";
import { closeAuditDays } from "../../src/app/audit";
import {
  migrationContextOn,
  runMigration,
  type MigrationContext,
} from "../../src/composition/storage-migration";
import type { AuditEntry } from "../../src/domain/model";
import { azuriteForSuite } from "../support/azurite";
import { WriteSequence, serviceUnavailable, type WriteHook } from "../support/faulty-table-client";
import { freshTablePrefix, tableStoresOn } from "../support/stores";

/**
 * A store written by commit 23d5e8c's own code (before due work moved into one partition and the
 * audit log into day chains), migrated by `npm run storage -- migrate` and then served by today's
 * code. The fixture was captured once with test/migration/capture-old-layout.ts run in a worktree of
 * 23d5e8c (its header says how): two full request lifecycles and a request left half approved, on
 * 2026-11-20 and 2026-11-21, dumped table by table with property types.
 */
export interface FixtureRow {
  partitionKey: string;
  rowKey: string;
  [column: string]: unknown;
}
export interface Fixture {
  commit: string;
  tables: Record<string, FixtureRow[]>;
}
/** A store a commit's own code wrote (test/migration/capture-old-layout.ts), from fixtures/. */
export const loadFixture = (commit: string): Fixture =>
  JSON.parse(readFileSync(path.join(__dirname, `fixtures/store-${commit}.json`), "utf8")) as Fixture;

export const FIXTURE = loadFixture("23d5e8c");

export const old = (table: string): FixtureRow[] => FIXTURE.tables[table] ?? [];
export const str = (row: FixtureRow, column: string): string =>
  String((row[column] as { value: unknown }).value);
export const oldAudit = old("Audit").filter((r) => r.partitionKey.startsWith("d|"));
export const oldEntries = oldAudit.map((r) => JSON.parse(str(r, "json")) as AuditEntry);
/** What happened to a person's request or assignment, naming the person. */
export const isLifecycleEntry = (entry: AuditEntry): boolean =>
  entry.targetUserId !== undefined && /^(request|stage|assignment|resource)\./.test(entry.action);

/** Subject copies of entries about a person's request or assignment: today they live in the person's partition. */
export const oldSubjectCopies = old("Audit").filter(
  (r) =>
    /^s\|(request|assignment):/.test(r.partitionKey) &&
    isLifecycleEntry(JSON.parse(str(r, "json")) as AuditEntry),
);
export const oldDueRows = old("DueWork").filter((r) => r.partitionKey.startsWith("due|"));
export const requestIds = old("Requests")
  .filter((r) => r.partitionKey.startsWith("e|"))
  .map((r) => r.partitionKey.slice(2));
/** The request left half approved: its stage-2 team (the Security Team) had a row per member. */
export const teamRows = old("Requests").filter((r) => r.partitionKey.startsWith("a|"));
export const securityTeam = teamRows.map((r) => r.partitionKey.slice(2));
export const halfApproved = str(teamRows[0]!, "ref");
export const people = [1, 2, 3].map((n) => `cccccccc-0003-4000-8000-${String(n).padStart(12, "0")}`);

/** What today's code appended on the second day before the migration ran (it was deployed first). */
export const NEW_ENTRY: AuditEntry = {
  id: "after-upgrade-1",
  at: "2026-11-21T16:30:00.000Z",
  actor: people[0]!,
  source: "test",
  action: "request.submitted",
  subject: "request:after-upgrade",
  targetUserId: people[0]!,
  packageId: "business-analyst",
};

export const LATER_MS = 11 * 60_000;

/** The order of an audit partition: newest first, then by id (row keys `<inverted time>|<id>`). */
export const newestFirst = (a: AuditEntry, b: AuditEntry) =>
  a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? -1 : 1;

/** An Azurite for the calling suite, the fixture loaded into fresh tables of it, and what the migration tests read with. */
export function oldLayout() {
  // One Azurite for the suite that calls this (mocha hooks of the enclosing describe).
  const azurite = azuriteForSuite();
  const client = (prefix: string, table: string) =>
    TableClient.fromConnectionString(azurite().connectionString, prefix + table, {
      allowInsecureConnection: true,
    });

  /**
   * The fixture's tables and rows, then what today's code did before anyone migrated: its daily
   * close sealed and anchored 2026-11-20 (as an empty day: it knew no chain there), and an entry was
   * appended on 2026-11-21.
   */
  /** Fresh tables holding a fixture's rows, and today's stores on them. */
  async function storeOf(fixture: Fixture): Promise<{ prefix: string; stores: TableStores }> {
    const prefix = freshTablePrefix("mig");
    await Promise.all(
      Object.entries(fixture.tables).map(async ([table, rows]) => {
        const c = client(prefix, table);
        await c.createTable();
        const byPartition = new Map<string, FixtureRow[]>();
        for (const row of rows)
          byPartition.set(row.partitionKey, [...(byPartition.get(row.partitionKey) ?? []), row]);
        await Promise.all(
          [...byPartition.values()].map(async (partition) => {
            for (let i = 0; i < partition.length; i += 100)
              await c.submitTransaction(
                partition.slice(i, i + 100).map((row): TransactionAction => ["create", row]),
              );
          }),
        );
      }),
    );
    return { prefix, stores: tableStoresOn(azurite(), { tablePrefix: prefix }) };
  }

  async function oldStore(): Promise<{ prefix: string; stores: TableStores }> {
    const { prefix, stores } = await storeOf(FIXTURE);
    const closed = await closeAuditDays(stores.audit, new Date("2026-11-21T02:00:00.000Z"));
    assert.deepEqual(
      closed.anchored.map((a) => [a.day, a.seq]),
      [["2026-11-20", 0]],
    );
    await stores.audit.append([NEW_ENTRY]);
    return { prefix, stores };
  }

  const context = (prefix: string, wrap?: (c: TableClient) => TableClient): MigrationContext =>
    migrationContextOn(azurite().connectionString, {
      tablePrefix: prefix,
      now: () => Date.now() + LATER_MS,
      ...(wrap ? { wrap } : {}),
    });

  const moved = async (ctx: MigrationContext) =>
    Object.fromEntries((await runMigration(ctx)).map(({ step, result }) => [step.name, result.moved]));

  /** Every row of every table, without ETags and timestamps, sorted: the end state to compare. */
  async function snapshot(prefix: string): Promise<string[]> {
    const rows: string[] = [];
    for (const table of Object.values(TABLES)) {
      try {
        for await (const row of client(prefix, table).listEntities()) {
          const { etag: _e, timestamp: _t, ...rest } = row as Record<string, unknown>;
          rows.push(`${table} ${JSON.stringify(rest)}`);
        }
      } catch {
        rows.push(`${table} missing`);
      }
    }
    return rows.sort();
  }

  /**
   * A migration of a fresh store cut at write `n` (before storage carries it out, or with its answer
   * lost) and then run again to the end: the rows it leaves, to compare with a clean run's.
   */
  async function cutAndResumed(
    store: () => Promise<{ prefix: string }>,
    n: number,
    lostAnswer: boolean,
  ): Promise<string[]> {
    const { prefix } = await store();
    const cut: WriteHook = (write) => {
      if (write.index < n) return;
      if (write.index > n || !lostAnswer) throw serviceUnavailable();
      return () => {
        throw serviceUnavailable();
      };
    };
    const killed = new WriteSequence(cut);
    await assert.rejects(moved(context(prefix, (c) => killed.wrap(c))), /step .* failed/);
    await moved(context(prefix));
    return snapshot(prefix);
  }

  return { client, storeOf, oldStore, context, moved, snapshot, cutAndResumed };
}
