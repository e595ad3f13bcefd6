import { createTableStores, type TableStores } from "../src/adapters/tables";
import { devConnectionString } from "../src/dev/azurite";
import { submitRequest } from "../src/app/submit-request";
import { decideApproval } from "../src/app/decide-approval";
import type { AppDeps } from "../src/app/deps";
import type { DirectoryUser } from "../src/domain/model";
import { benchDeps, benchGovernance, benchOrganization, PACKAGE_ID, STAGE2_APPROVER } from "./fixtures";
import { collectGarbage, fmt, percentile, runConcurrently, trackRss } from "./measure";
import { judged, type Section } from "./report";
import { startTraceProxy } from "./trace-proxy";

export const STEPS = ["submit", "stage-1 approve", "stage-2 approve", "delivery"] as const;
type Step = (typeof STEPS)[number];

const elapsedMs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** One request from submission to delivery; `onStep` is told before each step starts. */
export async function lifecycle(
  deps: AppDeps,
  employee: DirectoryUser,
  latencies?: Record<Step, number[]>,
  onStep?: (step: Step) => void,
): Promise<void> {
  const timed = async <T>(step: Step, work: () => Promise<T>): Promise<T> => {
    onStep?.(step);
    const t0 = process.hrtime.bigint();
    const result = await work();
    latencies?.[step].push(elapsedMs(t0));
    return result;
  };
  const base = { justification: "Quarterly reporting", source: "bench" };
  const submitted = await timed("submit", () =>
    submitRequest(deps, { ...base, actorId: employee.id, packageId: PACKAGE_ID, answers: {} }),
  );
  if (!submitted.ok) throw new Error(`submit refused: ${submitted.error.code} ${submitted.error.message}`);
  const requestId = submitted.value.request.id;
  const decide = async (step: Step, actorId: string, stage: number) => {
    const decided = await timed(step, () =>
      decideApproval(deps, { ...base, actorId, requestId, stage, outcome: "approve" }),
    );
    if (!decided.ok) throw new Error(`${step} refused: ${decided.error.code} ${decided.error.message}`);
    return decided.value;
  };
  await decide("stage-1 approve", employee.managerId!, 1);
  const final = await decide("stage-2 approve", STAGE2_APPROVER, 2);
  // Delivery runs after the answer; the lifecycle ends when it has finished.
  await timed("delivery", () => final.followUp);
}

async function prepare(connectionString: string, people: number) {
  const { organization, employees } = benchOrganization(people);
  const stores = createTableStores(connectionString, { tablePrefix: "BenchLife" });
  await stores.ensureTables();
  await stores.governance.save(await benchGovernance());
  return { organization, employees, stores };
}

/** Section 2: lifecycles at concurrency C, storage operations per lifecycle, and where they go. */
export async function lifecycleSection(
  connectionString: string,
  opts: { concurrency: number; count: number; traced: number; floorOps?: number },
  out: Section,
): Promise<void> {
  const warmup = opts.concurrency;
  const { organization, employees, stores } = await prepare(
    connectionString,
    warmup + opts.count + opts.traced,
  );
  const deps = benchDeps(stores, organization);
  await runConcurrently(warmup, opts.concurrency, (i) => lifecycle(deps, employees[i]!));

  const latencies = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
  collectGarbage();
  stores.counter.reset();
  const rss = trackRss();
  const run = await runConcurrently(opts.count, opts.concurrency, (i) =>
    lifecycle(deps, employees[warmup + i]!, latencies),
  );
  const memory = rss.stop();
  const opsPerLifecycle = stores.counter.operations / opts.count;
  await verifyDelivered(stores, deps, employees.slice(warmup, warmup + opts.count), out);

  out.rows.push({
    metric: `lifecycles/s (C=${opts.concurrency}, ${opts.count} lifecycles)`,
    value: fmt(run.perSecond, 1),
  });
  for (const step of STEPS) {
    const sorted = latencies[step].sort((a, b) => a - b);
    out.rows.push({
      metric: `${step} latency`,
      value: `p50 ${fmt(percentile(sorted, 50))} ms, p95 ${fmt(percentile(sorted, 95))} ms, p99 ${fmt(percentile(sorted, 99))} ms`,
    });
  }
  out.rows.push(
    judged("storage operations per lifecycle", fmt(opsPerLifecycle, 1), "≤ 20", opsPerLifecycle <= 20),
  );
  if (opts.floorOps) {
    const ceiling = opts.floorOps / opsPerLifecycle;
    const ratio = run.perSecond / ceiling;
    out.rows.push(
      {
        metric: "storage-bound ceiling (floor ops/s ÷ ops per lifecycle)",
        value: `${fmt(ceiling, 1)} lifecycles/s`,
      },
      judged("lifecycles/s ÷ ceiling", fmt(ratio, 2), "≥ 0.6", ratio >= 0.6),
    );
    out.notes.push(
      "The floor's ETag update is a read then a write on 200 hot rows, one after another; a lifecycle issues many of its writes in parallel (index rows, audit partitions), so the ratio can exceed 1.",
    );
  } else {
    out.notes.push("No floor measured in this run (section 1 not selected): ratio not computed.");
  }
  collectGarbage();
  const after = process.memoryUsage();
  out.rows.push(
    judged(
      "RSS of the benchmark process, steady",
      `${memory.steadyMb} MB (peak ${memory.peakMb} MB)`,
      "≤ 200 MB",
      memory.steadyMb <= 200,
    ),
    {
      metric: "after the run and a full GC",
      value: `RSS ${Math.round(after.rss / 2 ** 20)} MB, heap used ${Math.round(after.heapUsed / 2 ** 20)} MB`,
    },
  );

  const traceFrom = warmup + opts.count;
  await traceOperations(
    connectionString,
    organization,
    employees.slice(traceFrom, traceFrom + opts.traced),
    out,
  );
}

/** Every measured request must have ended delivered (read after the counted run). */
async function verifyDelivered(stores: TableStores, deps: AppDeps, people: DirectoryUser[], out: Section) {
  let delivered = 0;
  for (const person of people) {
    const [request] = await deps.requests.listForUser(person.id, 1);
    if (request?.state === "delivered") delivered += 1;
  }
  out.rows.push({ metric: "requests delivered", value: `${delivered} of ${people.length}` });
  void stores;
}

/** Runs lifecycles one at a time through the logging proxy: which operations each step issues. */
async function traceOperations(
  connectionString: string,
  organization: ReturnType<typeof benchOrganization>["organization"],
  people: DirectoryUser[],
  out: Section,
): Promise<void> {
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(connectionString)![1]);
  const proxy = await startTraceProxy(port, "BenchLife");
  try {
    const stores = createTableStores(devConnectionString(proxy.port), { tablePrefix: "BenchLife" });
    const deps = benchDeps(stores, organization);
    for (const person of people) await lifecycle(deps, person, undefined, (step) => proxy.setStep(step));
  } finally {
    await proxy.close();
  }
  const runs = people.length;
  const rows: string[][] = [];
  for (const step of STEPS) {
    const counts = new Map<string, number>();
    for (const op of proxy.operations.filter((o) => o.step === step))
      counts.set(op.what, (counts.get(op.what) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0) / runs;
    const detail = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([what, n]) => `${fmt(n / runs, n % runs === 0 ? 0 : 1)}× ${what}`)
      .join("; ");
    rows.push([step, fmt(total, 1), detail]);
  }
  const counted = proxy.operations.filter((o) => (STEPS as readonly string[]).includes(o.step));
  const byTable = new Map<string, number>();
  for (const op of counted) {
    const table = op.what.split(" ").find((w) => /^[A-Z]/.test(w)) ?? "?";
    byTable.set(table, (byTable.get(table) ?? 0) + 1);
  }
  const tables = [...byTable.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} ${fmt(n / runs, 1)}`);
  rows.push(["total", fmt(counted.length / runs, 1), `by table: ${tables.join(", ")}`]);
  out.tables.push({
    caption: `Storage requests per step (${runs} lifecycles traced one at a time through a logging proxy; method, table, partition tag):`,
    header: ["Step", "Requests", "Which"],
    rows,
  });
}
