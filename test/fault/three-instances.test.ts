import assert from "node:assert/strict";
import { devConnectionString } from "../../src/dev/azurite";
import { startStorageFaultProxy } from "../support/storage-fault-proxy";
import { freshTablePrefix } from "../support/stores";
import { createDesk } from "./support/desk";
import {
  assertNothingLost,
  baseline,
  count,
  type DeskChild,
  directStores,
  employeeState,
  faultFixture,
  type Figures,
  MINUTE,
  people,
  quiet,
  type Row,
  settle,
  spawnDesk,
  swept,
  table,
  unrecorded,
} from "./support/harness";
import { anyWrite } from "./support/table-ops";

const INSTANCES = 3;
const EMPLOYEES = 6;

interface Handled {
  kind: string;
  subjectId: string;
  discriminator: string;
  dueAt: string;
}

/** A due item is stored once per due time, kind, subject and discriminator. */
const itemKey = (h: Handled) => `${h.dueAt}|${h.kind}|${h.subjectId}|${h.discriminator}`;

/**
 * Issue 9 §8: three Access Desk processes on one storage account (one table prefix), each with its
 * scheduler. Each submits for its share of the employees, all three approve every pending stage
 * (racing on the same decisions), and each sweeps under its own lease name, so the sweeps overlap
 * and only the claims keep them apart. The sink's removal of the first three journaled batches
 * answers 503, so those batches fall to the sweeps too. Every due item is handled once, every
 * message sent once, every grant audited once.
 */
describe("fault suite: three instances on one storage account", function () {
  this.timeout(120_000);
  const p = people(EMPLOYEES);
  const rows: Row[] = [];
  let figures: Figures;
  let handled: Handled[] = [];
  const requestIds: string[] = [];
  const granted: number[] = [];
  let alive: boolean[] = [];
  let kept = 0;

  after(() => {
    if (rows.length > 0) console.log(table("Three instances, one storage account", rows));
  });

  before(async () => {
    const f = await faultFixture();
    const prefix = freshTablePrefix("f3");
    const proxy = await startStorageFaultProxy(f.azurite.port);
    const children: DeskChild[] = [];
    try {
      for (let i = 0; i < INSTANCES; i += 1)
        children.push(
          spawnDesk(f, devConnectionString(proxy.port), prefix, {
            employees: EMPLOYEES,
            leaseName: `sweeper-${i}`,
            seed: false,
          }),
        );
      const reference = await baseline(f);
      await createDesk({
        connectionString: f.azurite.connectionString,
        prefix,
        connector: f.connector.serviceUrl,
        employees: EMPLOYEES,
        clockOffsetMs: 0,
      }).seed();
      await Promise.all(children.map((c) => c.waitFor("READY", 60_000, true)));
      const removals = anyWrite(prefix, {
        table: "DueWork",
        verb: "delete",
        condition: "any",
        rowKey: /\|effects\|/,
      });
      const keep = proxy.fail({ matches: removals, times: 12, retryAfterMs: 0 });
      const mark = f.sent.length;
      const all = [...Array(EMPLOYEES).keys()];
      children.forEach((c, i) => {
        c.send({ cmd: "start" });
        c.send({ cmd: "work", submit: all.filter((e) => e % INSTANCES === i), approve: all });
      });
      await Promise.all(children.map((c) => c.waitFor("WORKED", 60_000)));
      await quiet(proxy, 500);
      const attempts = new Map<string, number>();
      for (const hit of keep.hits) attempts.set(hit.url, (attempts.get(hit.url) ?? 0) + 1);
      kept = [...attempts.values()].filter((n) => n >= 4).length;
      // Time passes for all three: journaled batches left by the failed removals and the delivery
      // safety nets fall due, and the three sweepers race for them.
      const advance = 6 * MINUTE;
      children.forEach((c) => c.send({ cmd: "advance", ms: advance }));
      await Promise.all(children.map((c) => c.waitFor("ADVANCED")));
      const stores = directStores(f, prefix);
      await swept(stores, () => Date.now() + advance);
      await settle(stores, () => Date.now() + advance, 20_000);
      await quiet(proxy, 500);
      alive = children.map((c) => c.alive);
      handled = children.flatMap((c) => c.handled.map((line) => JSON.parse(line) as Handled));
      const sent = f.sent.slice(mark);
      figures = await count(
        stores,
        p,
        all,
        sent,
        reference,
        Date.now() + advance,
        await unrecorded(f, prefix, sent),
      );
      for (const e of p.employees) {
        const [request] = await stores.requests.listForUser(e.id);
        if (request) requestIds.push(request.id);
        const state = await employeeState(stores, e.id);
        granted.push([...state.granted.values()].reduce((a, b) => a + b, 0));
      }
    } finally {
      await Promise.all(children.map((c) => c.kill()));
      await proxy.close();
    }
  });

  it("every message once, every request delivered, every grant audited once", () => {
    const twice = handled.length - new Set(handled.map(itemKey)).size;
    rows.push({
      name: `${INSTANCES} instances, ${EMPLOYEES} employees`,
      figures,
      note: `${handled.length} due items handled, ${twice} twice; ${kept} batches left to the sweeps`,
    });
    assert.deepEqual(alive, Array(INSTANCES).fill(true), "no instance crashed");
    assert.deepEqual(granted, Array(EMPLOYEES).fill(1), "one assignment.granted row per assignment");
    assertNothingLost(figures);
  });

  it("every due item that fell due was handled by exactly one instance", () => {
    // Two instances racing on the last approval both store the safety net before their
    // compare-and-swap (deadlines before state): the loser's is a second item, handled on its own.
    const keys = handled.map(itemKey);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    assert.deepEqual(twice, [], "handled twice");
    for (const id of requestIds)
      assert.ok(
        handled.some((h) => h.kind === "deliveryRetry" && h.subjectId === id),
        `the safety net of ${id} was handled`,
      );
    assert.ok(kept >= 1, "some journaled batches were left to the sweeps");
    assert.ok(handled.filter((h) => h.kind === "effects").length >= kept, "each left batch handled");
    assert.equal(requestIds.length, EMPLOYEES);
  });
});
