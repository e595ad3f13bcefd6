/**
 * Runs kill points: each one drives an Access Desk child through one employee's lifecycle until
 * its storage write is held at the proxy, kills the child there, restarts Access Desk in this
 * process with the clock moved on, and counts what was lost, doubled, left stuck or unaudited
 * against a run of the same suite without faults.
 */
import assert from "node:assert/strict";
import type { HoldPoint } from "../../support/storage-fault-proxy";
import type { TableStores } from "../../../src/adapters/tables";
import { createDesk } from "./desk";
import {
  assertNothingLost,
  count,
  directStores,
  faultFixture,
  type Figures,
  finishInProcess,
  type Fixture,
  messageKey,
  MINUTE,
  people,
  type Reference,
  referenceOf,
  rememberReference,
  type Row,
  type Sent,
  sleep,
  table,
  unrecorded,
  WarmPool,
} from "./harness";
import { anyWrite, nthWrite, type OpPattern } from "./table-ops";

/** How a point's child is driven: through the lifecycle, or on to the sweeps after it (clock +6 min). */
export type Phase = "work" | "sweep";

export interface KillPoint {
  name: string;
  pattern: OpPattern;
  nth?: number;
  at: HoldPoint[];
  phase?: Phase;
  /** The sink's first effects-item removal answers 503 four times, so that batch stays due for a sweep. */
  keepFirstBatch?: boolean;
  /** Only writes to the kept batch's row count. */
  sameBatch?: boolean;
  note?: string;
}

export interface KillSuite {
  title: string;
  points: KillPoint[];
  /** Run before the reference: how the world differs from the default (undone in `after`). */
  setUp?: (f: Fixture) => void;
  tearDown?: (f: Fixture) => void;
  /** What the run without faults must show, besides each message once. */
  checkReference?: (reference: Reference) => void;
  /** The reference is the plain lifecycle's: other suites may compare with it (`baseline`). */
  shareReference?: boolean;
}

export const effects = /\|effects\|/;

/** Where the restarted process's clock stands: past A's claims (5 min), leases and safety nets. */
const RESTART_OFFSET = 15 * MINUTE;
const SWEEP_ADVANCE = 6 * MINUTE;

/** Points run three at a time, each lane on its own employee (messages are told apart by person). */
const LANES = 3;

interface Outcome {
  lane: number;
  stores: TableStores;
  sent: Sent[];
  window: Sent[];
  clockMs: number;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * A proxy in front of Azurite holds the point's write (before storage carries it out, or after,
 * holding the answer) and freezes everything after it; the test kills the process there, restarts
 * Access Desk (in this process) with the clock 15 minutes on, lets it finish and settle, and
 * compares the employee's messages and audit rows with a run without faults.
 */
export function killPointSuite(suite: KillSuite): void {
  describe(suite.title, function () {
    this.timeout(300_000);
    let f: Fixture;
    let pool: WarmPool;
    const p = people(LANES);
    let reference: Reference;
    let referenceFigures: Figures;
    const rows: Row[] = [];
    const runs = suite.points.flatMap((point) =>
      point.at.map((at) => ({ key: `${point.name} [${at}]`, point, at })),
    );
    const results = new Map(runs.map((r) => [r.key, deferred<Outcome>()]));
    // Runs start when their test (or the one before it) starts, so a --grep runs only what it needs
    // (and one more), and the lanes stay busy while the tests take their results in order.
    const queue: typeof runs = [];
    const started = new Set<string>();
    const wake: (() => void)[] = [];
    const enqueue = (index: number) => {
      for (const r of runs.slice(index, index + LANES)) {
        if (started.has(r.key)) continue;
        started.add(r.key);
        queue.push(r);
      }
      wake.splice(0).forEach((w) => w());
    };
    let closed = false;
    async function runLane(lane: number): Promise<void> {
      while (!closed) {
        const next = queue.shift();
        if (!next) {
          await new Promise<void>((resolve) => wake.push(resolve));
          continue;
        }
        const result = results.get(next.key)!;
        await run(next.point, next.at, lane).then(result.resolve, result.reject);
      }
    }

    before(async () => {
      f = await faultFixture();
      suite.setUp?.(f);
      // The killed process sweeps once a second: nothing falls due before its clock moves, and fewer
      // idle sweeps leave more of the two cores to the points.
      pool = new WarmPool(f, { employees: LANES, sweepMs: 1000 }, LANES);
      const { stores, sent } = await run(undefined, "request", 0);
      reference = await referenceOf(stores, p, sent);
      if (suite.shareReference) rememberReference(reference);
      referenceFigures = await count(stores, p, [0], sent, reference, Date.now() + RESTART_OFFSET);
      for (let lane = 0; lane < LANES; lane += 1) void runLane(lane);
      enqueue(0);
    });
    after(async () => {
      closed = true;
      wake.splice(0).forEach((w) => w());
      await pool?.close();
      if (f) suite.tearDown?.(f);
      if (rows.length > 0) console.log(table(`${suite.title}: per point`, rows));
    });

    /** Runs A until the hold (or to the end, without one), kills it, finishes in-process. */
    async function run(point: KillPoint | undefined, at: HoldPoint, lane: number): Promise<Outcome> {
      const plan = { submit: [lane], approve: [lane] };
      const t0 = Date.now();
      const { prefix, proxy, child } = await pool.next();
      const tReady = Date.now();
      const mark = f.sent.length;
      let held: Promise<unknown> = new Promise(() => undefined);
      let keep: { answered: number } | undefined;
      let keptBatch: string | undefined;
      let armed = false;
      if (point?.keepFirstBatch) {
        const removal = anyWrite(prefix, {
          table: "DueWork",
          verb: "delete",
          condition: "any",
          rowKey: effects,
        });
        keep = proxy.fail({
          matches: (r) => {
            if (!removal(r)) return false;
            keptBatch ??= r.url;
            return r.url === keptBatch;
          },
          times: 4,
          retryAfterMs: 0,
        });
      }
      if (point) {
        const base = nthWrite(prefix, point.pattern, point.nth ?? 1);
        // A sweep point waits for the sweep: only writes after the clock moved count. A point on the
        // kept batch waits for that batch's own row.
        armed = point.phase !== "sweep";
        const matches = (r: Parameters<typeof base>[0]) =>
          armed && (!point.sameBatch || r.url === keptBatch) && base(r);
        held = proxy.holdFirst(matches, at, { freeze: true });
      }
      child.send({ cmd: "start" });
      child.send({ cmd: "work", ...plan });
      const worked = child.waitFor("WORKED", 30_000).then(async () => {
        if (point?.phase === "sweep" || !point) {
          await sleep(300); // the last notices go out
          armed = true;
          child.send({ cmd: "advance", ms: SWEEP_ADVANCE });
          await child.waitFor("ADVANCED", 5000, true);
        }
        await sleep(point ? 5000 : 600);
        return "ended" as const;
      });
      worked.catch(() => undefined);
      const first = await Promise.race([held.then(() => "held" as const), worked]);
      await child.kill();
      proxy.disarm();
      proxy.clearFailures();
      if (point) assert.equal(first, "held", `${point.name} (${at}): the point was never reached`);
      if (keep) assert.equal(keep.answered, 4, "the first batch's removal failed four times");
      const mine = (s: Sent) => messageKey(p, s)?.employee === lane;
      const window = await unrecorded(f, prefix, f.sent.slice(mark).filter(mine));
      const desk = createDesk({
        connectionString: f.azurite.connectionString,
        prefix,
        connector: f.connector.serviceUrl,
        employees: LANES,
        clockOffsetMs: RESTART_OFFSET,
      });
      const tKilled = Date.now();
      await finishInProcess(desk, plan);
      if (process.env.FAULT_TIMING)
        console.log(
          `${point?.name} ${at}: ready ${tReady - t0} ms, until killed ${tKilled - tReady} ms, restart ${Date.now() - tKilled} ms`,
        );
      return {
        lane,
        stores: directStores(f, prefix),
        sent: f.sent.slice(mark).filter(mine),
        window,
        clockMs: desk.clock.now().getTime(),
      };
    }

    it("a run without faults sets the reference: each message once, the grant audited", () => {
      rows.push({ name: "none (reference)", figures: referenceFigures });
      const counts = [...reference.messages.values()];
      assert.ok(counts.length >= 6, `messages: ${[...reference.messages.keys()].join("; ")}`);
      assert.ok(
        counts.every((n) => n === 1),
        "each message once",
      );
      assert.equal(reference.audit.get("assignment.granted"), 1);
      suite.checkReference?.(reference);
    });

    for (const [index, { key, point }] of runs.entries()) {
      it(key, async () => {
        enqueue(index);
        const { lane, stores, sent, window, clockMs } = await results.get(key)!.promise;
        const figures = await count(stores, p, [lane], sent, reference, clockMs, window);
        const note =
          point.note ??
          (figures.window > 0
            ? `${figures.window} out before the kill without its delivery-log row: found in the chat, not sent again`
            : "");
        rows.push({ name: key, figures, note });
        assertNothingLost(figures);
      });
    }
  });
}
