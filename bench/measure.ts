import v8 from "node:v8";
import vm from "node:vm";

/** Small measuring tools for the benchmark: latency percentiles, throughput, peak RSS. */
export interface Timing {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)];
}

/** Runs `task` `total` times with `concurrency` workers; returns throughput and latency. */
export async function runConcurrently(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<Timing> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await task(i);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    count: total,
    seconds,
    perSecond: total / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

/** Samples the process's resident set size until stopped; reports the peak in MB. */
export function trackPeakRss(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
    },
  };
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

/**
 * Samples RSS until stopped: the peak, and the steady level (median of the second half of the
 * samples, once start-up allocation is over).
 */
export function trackRss(intervalMs = 50): { stop(): { peakMb: number; steadyMb: number } } {
  const samples: number[] = [process.memoryUsage().rss];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(process.memoryUsage().rss);
      const late = samples.slice(Math.floor(samples.length / 2)).sort((a, b) => a - b);
      const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
      return { peakMb: mb(Math.max(...samples)), steadyMb: mb(percentile(late, 50)) };
    },
  };
}

/** A full garbage collection, so one section's garbage is not counted in the next one's memory. */
export function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}
