import assert from "node:assert/strict";
import type { TableClient } from "@azure/data-tables";
import { TABLES } from "../../src/adapters/tables";
import { runStorageCli } from "../../src/cli/storage";
import { serviceUnavailable } from "../support/faulty-table-client";
import { oldDueRows, oldEntries, oldLayout } from "./old-layout";

/** `npm run storage -- migrate` as a command, on the store of test/migration/old-layout.ts. */
describe("npm run storage: the command on a store written by the previous layout (23d5e8c)", function () {
  this.timeout(60_000);
  const { client, oldStore, context, snapshot } = oldLayout();

  it("the command prints each step, exits 0, and a dry run writes nothing", async () => {
    const { prefix } = await oldStore();
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      return {
        out,
        err,
        open: async () => ({ ctx: context(prefix), close: async () => undefined }),
        stdout: (t: string) => void out.push(t),
        stderr: (t: string) => void err.push(t),
      };
    };
    const before = await snapshot(prefix);
    const dry = io();
    assert.equal(await runStorageCli(["migrate", "--dry-run"], dry), 0);
    assert.match(dry.out.join(""), new RegExp(`audit-chain: would move ${oldEntries.length}\\b`));
    assert.match(
      dry.out.join(""),
      /d\|2026-11-20: \d+ unchained entries, day closed: appended to 2026-11-21/,
    );
    assert.deepEqual(await snapshot(prefix), before);

    const run = io();
    assert.equal(await runStorageCli(["migrate"], run), 0);
    assert.match(run.out.join(""), new RegExp(`due-work: moved ${oldDueRows.length}\\b`));
    assert.match(run.out.join(""), /approver-groups: moved 3\b/);
    assert.match(run.out.join(""), /migrate: done/);
    const again = io();
    assert.equal(await runStorageCli(["migrate"], again), 0);
    assert.match(again.out.join(""), /migrate: done, 0 rows moved/);
    const status = io();
    assert.equal(await runStorageCli(["status"], status), 0);
    assert.match(status.out.join(""), /nothing left in an earlier layout/);

    const bad = io();
    assert.equal(await runStorageCli(["migrate", "--force"], bad), 2);
    assert.match(bad.err.join(""), /unknown argument "--force" for migrate/);
    const broken = io();
    // Storage refuses to create a table: the step is named, the exit code says it failed.
    const refusing = (c: TableClient): TableClient =>
      new Proxy(c, {
        get: (target, property) => {
          if (property === "createTable") return () => Promise.reject(serviceUnavailable());
          const value: unknown = Reflect.get(target, property);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    broken.open = async () => ({ ctx: context(prefix, refusing), close: async () => undefined });
    await client(prefix, TABLES.delegations).deleteTable();
    assert.equal(await runStorageCli(["migrate"], broken), 1);
    assert.match(broken.err.join(""), /step tables failed: .*run the command again to resume/);
  });
});
