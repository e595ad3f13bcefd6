import assert from "node:assert/strict";
import { devConnectionString } from "../../src/dev/azurite";
import type {
  ArmedFailure,
  HoldPoint,
  ProxiedRequest,
  StorageFaultProxy,
} from "../support/storage-fault-proxy";
import { startStorageFaultProxy } from "../support/storage-fault-proxy";
import { freshTablePrefix } from "../support/stores";
import type { ActionOutcome } from "./support/desk";
import {
  assertNothingLost,
  baseline,
  count,
  directStores,
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
import { opMatches, type OpPattern, tableOps } from "./support/table-ops";

interface ErrorScenario {
  name: string;
  /** The write storage answers 503 to. */
  pattern: OpPattern;
  /** `request`: not carried out; `answer`: carried out, then 503 (the SDK's retry meets what it did). */
  at: HoldPoint;
  /** 4: the SDK's three retries fail too, the call fails; 1: the first retry gets through. */
  times: number;
}

const effects = /\|effects\|/;

/** One employee each (employee 0 has no fault: the control). */
const SCENARIOS: ErrorScenario[] = [
  { name: "claim create", pattern: { table: "Claims", verb: "create" }, at: "request", times: 4 },
  { name: "request create", pattern: { table: "Requests", verb: "create" }, at: "request", times: 4 },
  {
    name: "request create, done then 503",
    pattern: { table: "Requests", verb: "create" },
    at: "answer",
    times: 1,
  },
  {
    name: "submit's audit rows",
    pattern: { table: "Audit", verb: ["create", "upsert"], partitionKey: /^d\|/ },
    at: "request",
    times: 4,
  },
  {
    name: "approval CAS",
    pattern: { table: "Requests", verb: "update", partitionKey: /^e\|/ },
    at: "request",
    times: 4,
  },
  {
    name: "approval CAS, done then 503",
    pattern: { table: "Requests", verb: "update", partitionKey: /^e\|/ },
    at: "answer",
    times: 1,
  },
  {
    name: "deliveryRetry safety net",
    pattern: { table: "DueWork", verb: "upsert", rowKey: /\|deliveryRetry\|/ },
    at: "request",
    times: 4,
  },
  { name: "delivery-log record", pattern: { table: "Deliveries", verb: "upsert" }, at: "request", times: 4 },
  {
    name: "effects item removal",
    pattern: { table: "DueWork", verb: "delete", condition: "any", rowKey: effects },
    at: "request",
    times: 4,
  },
  { name: "assignment create", pattern: { table: "Assignments", verb: "create" }, at: "request", times: 4 },
  {
    name: "grant CAS, done then 503",
    pattern: { table: "Assignments", verb: "update", partitionKey: /^e\|/ },
    at: "answer",
    times: 1,
  },
  {
    name: "sweep: safety net claim",
    pattern: { table: "DueWork", verb: "update", condition: "etag", rowKey: /\|deliveryRetry\|/ },
    at: "request",
    times: 4,
  },
  {
    name: "sweep: safety net complete",
    pattern: { table: "DueWork", verb: "delete", condition: "etag", rowKey: /\|deliveryRetry\|/ },
    at: "request",
    times: 4,
  },
];

/**
 * Whether a request belongs to one employee's lifecycle: it names the employee, or an id learned
 * from earlier requests that did (their request, its assignment, the effect batches of either).
 * Lets every scenario run at once, each on its own employee, in one process.
 */
function scope(proxy: StorageFaultProxy, prefix: string, userId: string): (r: ProxiedRequest) => boolean {
  const ids = new Set<string>([userId]);
  let scanned = 0;
  const mentions = (text: string) => [...ids].some((id) => text.includes(id));
  const learn = () => {
    for (; scanned < proxy.seen.length; scanned += 1) {
      for (const op of tableOps(proxy.seen[scanned]!, prefix)) {
        const text = `${op.partitionKey}\n${op.rowKey}\n${op.body}`;
        if (op.verb === "create" && op.table === "Requests" && mentions(op.body)) {
          const id = /"PartitionKey":"e\|(req_[^"]+)"/.exec(op.body)?.[1];
          if (id) ids.add(id);
        }
        if (op.table === "DueWork" && effects.test(op.rowKey) && mentions(text)) {
          ids.add(op.rowKey.split("|").pop()!); // the batch id
        }
      }
    }
  };
  return (r) => {
    learn();
    let url = r.url;
    try {
      url = decodeURIComponent(r.url);
    } catch {
      /* keep it encoded */
    }
    return mentions(url) || mentions(r.body);
  };
}

/**
 * Issue 9 §8: storage answers 503 at chosen writes (the proxy answers instead of Azurite, before or
 * after carrying the write out). One Access Desk process runs every scenario at once, one employee
 * each: it must not crash, each person's action succeeds or fails with an error (and succeeds when
 * they try again), and once the process kept sweeping (the clock moved on twice) nothing is lost,
 * doubled, stuck or unaudited.
 */
describe("fault suite: storage answers 503 at chosen writes (one process, one employee per scenario)", function () {
  this.timeout(180_000);
  const employees = SCENARIOS.length + 1;
  const p = people(employees);
  const rows: Row[] = [];
  const results = new Map<number, { figures: Figures; actions: ActionOutcome[]; failure: ArmedFailure }>();
  let alive = true;
  let crashLog = "";

  after(() => {
    if (rows.length > 0) console.log(table("Storage answers 503 (per write)", rows));
  });

  before(async () => {
    const f = await faultFixture();
    const reference = await baseline(f);
    const proxy = await startStorageFaultProxy(f.azurite.port);
    const prefix = freshTablePrefix("fe");
    const child = spawnDesk(f, devConnectionString(proxy.port), prefix, { employees });
    try {
      await child.waitFor("READY", 60_000, true);
      const failures = SCENARIOS.map((scenario, i) => {
        const mine = scope(proxy, prefix, p.employees[i + 1]!.id);
        return proxy.fail({
          matches: (r) => mine(r) && tableOps(r, prefix).some((op) => opMatches(op, scenario.pattern)),
          at: scenario.at,
          times: scenario.times,
          retryAfterMs: 0,
        });
      });
      const mark = f.sent.length;
      const all = [...Array(employees).keys()];
      child.send({ cmd: "start" });
      child.send({ cmd: "work", submit: all, approve: all });
      // Everyone did what they could; then the process keeps running while time passes: journaled
      // batches (2 min), safety nets (5 min), then claims of failed completions (5 min) fall due.
      await quiet(proxy, 600, 30_000);
      const stores = directStores(f, prefix);
      let offset = 0;
      for (const step of [6 * MINUTE, 6 * MINUTE]) {
        offset += step;
        child.send({ cmd: "advance", ms: step });
        await child.waitFor("ADVANCED");
        await swept(stores, () => Date.now() + offset);
        await quiet(proxy, 400, 20_000);
      }
      await child.waitFor("WORKED", 30_000, true);
      await settle(stores, () => Date.now() + offset, 20_000);
      alive = child.alive;
      crashLog = child.stderr;
      const sent = f.sent.slice(mark);
      const window = await unrecorded(f, prefix, sent);
      for (const [i] of SCENARIOS.entries()) {
        const employee = i + 1;
        const figures = await count(stores, p, [employee], sent, reference, Date.now() + offset, window);
        const actions = child.actions.filter((a) => a.employee === employee);
        results.set(i, { figures, actions, failure: failures[i]! });
      }
      const control = await count(stores, p, [0], sent, reference, Date.now() + offset, window);
      rows.push({ name: "none (control)", figures: control });
    } finally {
      await child.kill();
      await proxy.close();
    }
  });

  it("the process never crashed", () => {
    assert.ok(alive, `the process died: ${crashLog.slice(-2000)}`);
  });

  for (const [i, scenario] of SCENARIOS.entries()) {
    it(`${scenario.name} [${scenario.at}, 503 x${scenario.times}]`, () => {
      const result = results.get(i);
      assert.ok(result, "the scenario ran");
      const { figures, actions, failure } = result;
      const short = (a: ActionOutcome) =>
        a.outcome === "ok"
          ? "ok"
          : `${a.outcome}(${/ServerBusy|fault proxy/.test(a.detail ?? "") ? "503" : (a.detail ?? "").slice(0, 30)})`;
      const said = ["submit", "approve1", "approve2"]
        .map((kind) => {
          const mine = actions.filter((a) => a.action === kind);
          return mine.length === 0 ? `${kind} -` : `${kind} ${mine.map(short).join("→")}`;
        })
        .join(", ");
      rows.push({
        name: `${scenario.name} [${scenario.at} x${scenario.times}]`,
        figures,
        note:
          figures.window > 0
            ? `${said}; out while its delivery-log row failed: recorded, not sent again`
            : said,
      });
      assert.equal(failure.answered, scenario.times, "storage answered 503 where it was told to");
      // A person's action succeeded, or failed saying so; trying again worked.
      for (const a of actions) assert.ok(["ok", "refused", "threw"].includes(a.outcome));
      assertNothingLost(figures);
    });
  }
});
