import { show, stats } from "./latency";
import { fmt } from "./measure";
import type { TracedOperation } from "./trace-proxy";
import { judged, type Section } from "./report";

/** The click path's latencies (ms) and whether each round's clicks were really in flight together. */
export interface ClickFigures {
  solo: number[];
  atOnce: number[];
  echoSolo: number[];
  echoAtOnce: number[];
  allOverlapped: boolean;
  echoOverlapped: boolean;
}

/** What bench/e2e.ts measured, for its section of the report. */
export interface E2eFigures {
  c: number;
  /** Lifecycles each bot ran before it was measured. */
  warmUp: number;
  opts: { rounds: number; spread: number; single: number };
  clicks: ClickFigures;
  /** Storage requests per lifecycle, round trips before each answer, lifecycles traced, rows by step. */
  total: number;
  trips: Map<string, number[]>;
  runs: number;
  traceRows: string[][];
  spread: { perSecond: number; lag: { p50: number; p99: number; n: number } };
  single: { perSecond: number; lag: { p50: number; p99: number; n: number } };
  floorBefore: number;
  floorAfter: number;
  memory: { steady: number; peak: number };
  rssAfterWarm: number;
  compiledMemory?: { steady: number; peak: number; afterStart: number; perSecond: number };
}

/** Section 4's rows, table and notes. */
export function reportE2e(out: Section, f: E2eFigures): void {
  const { c, warmUp, opts, total, trips, runs, traceRows, spread, single, floorBefore, floorAfter, memory } =
    f;
  const { rssAfterWarm, compiledMemory } = f;
  const { solo, atOnce, echoSolo, echoAtOnce, allOverlapped, echoOverlapped } = f.clicks;
  const floor = Math.max(floorBefore, floorAfter);
  const click1 = stats(solo);
  const clickC = stats(atOnce);
  const echo1 = stats(echoSolo);
  const echoC = stats(echoAtOnce);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Infinity);
  out.rows.push(
    { metric: "echo invoke, C=1", value: show(echo1) },
    { metric: "approve invoke, C=1 (stage 1 and 2, the bot otherwise idle)", value: show(click1) },
    judged(
      "approve ÷ echo invoke p99, C=1",
      `${fmt(click1.p99)} ÷ ${fmt(echo1.p99)} = ${fmt(ratio(click1.p99, echo1.p99), 2)} (p50 ${fmt(ratio(click1.p50, echo1.p50), 2)})`,
      "≤ 3",
      click1.p99 <= 3 * echo1.p99,
    ),
    {
      metric: `echo invoke, C=${c} fired at once`,
      value: `${show(echoC)}; all ${c} in flight together every round: ${echoOverlapped ? "yes" : "no"}`,
    },
    {
      metric: `approve invoke, C=${c} fired at once`,
      value: `${show(clickC)}; all ${c} in flight together every round: ${allOverlapped ? "yes" : "no"}`,
    },
    judged(
      `approve ÷ echo invoke p99, C=${c}`,
      `${fmt(clickC.p99)} ÷ ${fmt(echoC.p99)} = ${fmt(ratio(clickC.p99, echoC.p99), 2)} (p50 ${fmt(ratio(clickC.p50, echoC.p50), 2)})`,
      "≤ 3",
      clickC.p99 <= 3 * echoC.p99 && allOverlapped && echoOverlapped,
    ),
    judged(
      "storage requests per lifecycle, running bot (notifications and delivery included)",
      fmt(total, 1),
      "≤ 60",
      total <= 60,
    ),
    ...(["submit", "stage-1 approve", "stage-2 approve"] as const).map((name) => {
      const worst = Math.max(...(trips.get(name) ?? [0]));
      return judged(
        `sequential storage round trips before the ${name} answer`,
        String(worst),
        "≤ 4",
        worst <= 4,
      );
    }),
    {
      metric: `lifecycles/s over HTTP, C=${c}, stage 1 spread over ${Math.ceil(opts.spread / 2)} managers`,
      value: `${fmt(spread.perSecond, 2)} (${opts.spread} lifecycles)`,
    },
    {
      metric: `lifecycles/s over HTTP, C=${c}, one manager approves stage 1 of all`,
      value: `${fmt(single.perSecond, 2)} (${opts.single} lifecycles)`,
    },
    {
      metric: "storage-bound ceiling of the running bot (higher floor ÷ requests per lifecycle)",
      value: `${fmt(floor / total, 1)} lifecycles/s (floor ${fmt(floorBefore, 0)} before, ${fmt(floorAfter, 0)} after)`,
    },
    { metric: 'final approval answered → "You now have", spread', value: show(spread.lag) },
    { metric: 'final approval answered → "You now have", one manager', value: show(single.lag) },
    judged(
      "bot process RSS under the HTTP load (VmRSS from /proc), steady",
      `${memory.steady} MB (peak VmHWM ${memory.peak} MB; ${rssAfterWarm} MB after start and warm-up)`,
      "≤ 200 MB",
      memory.steady <= 200,
    ),
    compiledMemory
      ? judged(
          "bot process RSS, compiled ahead (plain node, no tsx), same load, steady",
          `${compiledMemory.steady} MB (peak VmHWM ${compiledMemory.peak} MB; ${compiledMemory.afterStart} MB after start; ${fmt(compiledMemory.perSecond)} lifecycles/s)`,
          "≤ 200 MB",
          compiledMemory.steady <= 200,
        )
      : { metric: "bot process RSS, compiled ahead", value: "not measured (compiling it failed)" },
  );
  out.tables.push({
    caption: `Storage requests of the running bot per step (${runs} lifecycles traced one at a time through the counting proxy, the bot idle between steps; before = until the answer, after = until the bot is idle again; round trips = the longest chain of requests each starting after the previous one ended, among those that ended before the bot started writing its answer (it prints that moment, on the clock the trace uses), worst of the runs (an upper bound: work the step started beside its answer that ended before it still lengthens a chain); the most frequent requests of the step):`,
    header: ["Step", "Before answer", "After answer", "Round trips before answer", "Which (per lifecycle)"],
    rows: traceRows,
  });
  out.notes.push(
    `The bot runs alone in its own Node process (bench/bot-process.ts: the composition root's buildBot on table stores, the bench organisation in the local directory, the governance cache as in production); the benchmark process runs the loopback connector, drives the clicks and reads the bot's /proc/<pid>/status. The echo bot (teams-ai, an Action.Execute handler answering a card) runs in another process the same way. The storage requests and round trips are traced on one bot process whose storage goes through the counting proxy; the clicks, throughput and memory are measured on a second bot process on the same tables that reaches Azurite directly, as a deployed bot does (the proxy's extra hop costs about 0.4 ms per request; it was stopped, and the second bot warmed up with ${warmUp} lifecycles, before the clicks). Between measured steps the bench waits for the bot to go idle: no storage request for 300 ms on the traced bot, at most one clock tick of CPU in 300 ms (/proc/<pid>/stat) on the direct one.`,
    `Approve invokes at C=${c}: ${opts.rounds} measured round(s) of ${c} requests, after one round not measured on each bot (a process's first burst of ${c} opens the connections it keeps and runs paths that single clicks did not); when every approval card has arrived and the bot is idle, the ${c} clicks are created in one tick and "in flight together" checks that each one started before the first answer came back. C=1: each click alone with the bot idle. Echo invokes are interleaved with them, each bot idle while the other is measured: two alone after each approve click, a round of ${c} after each round of approvals. Before each timed click or round the driver collects its own garbage (its heap holds what earlier sections left), so its collector's pauses are not counted as either bot's time.`,
    "The bot processes (the echo bot too) run with production's Node flags, read from package.json's start:prod (a bounded heap: docs/decisions.md).",
    "Leaves out: the scheduler (no sweeper runs in the bot process, so journaled effects run only through the notification sink), Microsoft Graph (the local directory answers in-process), tokens (local mode), Teams' own latency and throttling (the connector answers at once), and, in the first RSS row, tsx's compiler and its per-file transforms (a built bot runs compiled JavaScript: the second RSS row runs the same bot compiled ahead by esbuild into one file of our code (packages from node_modules, as with dist/), with plain node, on the same tables, after a fresh start and two warm-up lifecycles, under the spread load).",
  );
}

/**
 * The trace's table: per step, the requests before and after the answer per lifecycle, the worst
 * round trips before it, and the most frequent requests; and the requests per lifecycle in all.
 */
export function traceTable(
  steps: readonly string[],
  perStep: Map<string, TracedOperation[]>,
  trips: Map<string, number[]>,
  runs: number,
): { rows: string[][]; total: number } {
  const count = (name: string, when: "before" | "after") =>
    [...perStep.entries()]
      .filter(([k]) => k.endsWith(`:${name}|${when}`))
      .reduce((sum, [, ops]) => sum + ops.length, 0) / runs;
  const kinds = (name: string) => {
    const byWhat = new Map<string, number>();
    for (const [k, ops] of perStep) {
      if (!k.includes(`:${name}|`)) continue;
      for (const op of ops) byWhat.set(op.what, (byWhat.get(op.what) ?? 0) + 1);
    }
    return [...byWhat.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([w, k]) => `${fmt(k / runs, k % runs === 0 ? 0 : 1)}× ${w}`)
      .join("; ");
  };
  let total = 0;
  const rows = steps.map((name) => {
    const before = count(name, "before");
    const after = count(name, "after");
    total += before + after;
    const rt = trips.get(name) ?? [];
    return [name, fmt(before, 1), fmt(after, 1), `${Math.max(...rt)}`, kinds(name)];
  });
  rows.push(["total", "", "", "", `${fmt(total, 1)} storage requests per lifecycle`]);
  return { rows, total };
}
