import { devConnectionString } from "../src/dev/azurite";
import type { DirectoryUser } from "../src/domain/model";
import type { Organization } from "../src/adapters/local-directory";
import { tableStoresOn } from "../test/support/stores";
import { benchDeps } from "./fixtures";
import { lifecycle, STEPS } from "./lifecycles";
import { fmt } from "./measure";
import type { Section } from "./report";
import { startTraceProxy } from "./trace-proxy";

/** Runs lifecycles one at a time through the logging proxy: which operations each step issues. */
export async function traceOperations(
  connectionString: string,
  organization: Organization,
  people: DirectoryUser[],
  out: Section,
): Promise<void> {
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(connectionString)![1]);
  const proxy = await startTraceProxy(port, "BenchLife");
  try {
    const stores = tableStoresOn(devConnectionString(proxy.port), { tablePrefix: "BenchLife" });
    const deps = benchDeps(stores, organization);
    // The first lifecycle warms the stores' in-process caches (as in the counted run) and is not shown.
    const [first, ...rest] = people;
    if (first) await lifecycle(deps, first, undefined, (step) => proxy.setStep(`warm-up ${step}`));
    for (const person of rest) await lifecycle(deps, person, undefined, (step) => proxy.setStep(step));
  } finally {
    await proxy.close();
  }
  const runs = Math.max(1, people.length - 1);
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
    caption: `Storage requests per step (${runs} lifecycles traced one at a time through a logging proxy after one warm-up lifecycle; method, table, partition tag):`,
    header: ["Step", "Requests", "Which"],
    rows,
  });
}
