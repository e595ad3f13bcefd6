/**
 * Benchmark sizes, from the environment so a quick run and a full run use the same code.
 * BENCH_SCALE multiplies the counts of sections 2, 3 and 5; the sweep keeps its 100,000 unless
 * BENCH_SWEEP_ASSIGNMENTS says otherwise.
 */
function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

/** `npm run bench -- --quick`: every section, smaller (under 90 s on a quiet machine). */
export const quick = process.argv.includes("--quick");
const scale = num("BENCH_SCALE", quick ? 0.05 : 1);
const sized = (base: number) => Math.max(1, Math.round(base * scale));

export const ALL_SECTIONS = [
  "floor",
  "lifecycle",
  "http",
  "e2e",
  "sweep",
  "fanout",
  "lag",
  "review",
  "digest",
] as const;
export type SectionName = (typeof ALL_SECTIONS)[number];

export const config = {
  scale,
  /** Workers in parallel for the floor and the lifecycles (C). */
  concurrency: num("BENCH_CONCURRENCY", 16),
  floorOperations: sized(num("BENCH_FLOOR_OPS", 4000)),
  lifecycles: sized(num("BENCH_LIFECYCLES", 400)),
  /** Lifecycles run one by one through the logging proxy: one to warm caches, then those shown. */
  tracedLifecycles: 3,
  httpApprovals: sized(num("BENCH_HTTP_APPROVALS", 100)),
  httpEchoes: sized(num("BENCH_HTTP_ECHOES", 600)),
  /** End to end (bench/e2e.ts): approve invokes alone, rounds of C at once, lifecycles spread / one manager. */
  e2eSolo: quick ? 3 : sized(num("BENCH_E2E_SOLO", 50)),
  e2eRounds: sized(num("BENCH_E2E_ROUNDS", 4)),
  e2eSpread: sized(num("BENCH_E2E_SPREAD", 64)),
  e2eSingle: sized(num("BENCH_E2E_SINGLE", 64)),
  e2eTraced: quick ? 2 : 3,
  /** Lifecycles the bot whose clicks are timed runs first (its code and caches warm). */
  e2eWarmUp: quick ? 1 : 3,
  /** Grant delay of the slow provisioner in the HTTP section (the answer must come sooner than one grant). */
  slowGrantMs: num("BENCH_SLOW_GRANT_MS", quick ? 1000 : 2000),
  sweepAssignments: Math.round(num("BENCH_SWEEP_ASSIGNMENTS", quick ? 5_000 : 100_000)),
  sweepDueFraction: num("BENCH_SWEEP_DUE_FRACTION", 0.01),
  fanoutMessages: sized(num("BENCH_FANOUT_MESSAGES", 5000)),
  fanoutRecipients: sized(num("BENCH_FANOUT_RECIPIENTS", 1000)),
  fanoutConcurrency: num("BENCH_FANOUT_CONCURRENCY", 1),
  burstMessages: sized(num("BENCH_BURST_MESSAGES", 500)),
  burstConcurrency: num("BENCH_BURST_CONCURRENCY", 32),
  /** Section 6 runs for a fixed time, so BENCH_SCALE leaves it alone. */
  lagQuietChats: num("BENCH_LAG_QUIET_CHATS", 20),
  lagPhaseSeconds: num("BENCH_LAG_PHASE_SECONDS", quick ? 2 : 7),
  lagNoisyMessages: num("BENCH_LAG_NOISY_MESSAGES", quick ? 60 : 300),
  /** Section 8: one access review (BENCH_SCALE applies: --quick reviews 1,000 items of 100 reviewers). */
  reviewItems: sized(num("BENCH_REVIEW_ITEMS", 20_000)),
  reviewReviewers: sized(num("BENCH_REVIEW_REVIEWERS", 2_000)),
  reviewConcurrency: num("BENCH_REVIEW_CONCURRENCY", 4),
  /** Section 9: requests submitted at once whose stage 2 goes to one group, digests on. */
  digestRequests: sized(num("BENCH_DIGEST_REQUESTS", 100)),
  digestPerManager: num("BENCH_DIGEST_PER_MANAGER", 10),
  sections: parseSections(process.env.BENCH_SECTIONS),
  /** Where the report goes; empty to print only. */
  reportPath: process.env.BENCH_REPORT ?? "docs/benchmarks.md",
};

function parseSections(raw: string | undefined): Set<SectionName> {
  if (!raw) return new Set(ALL_SECTIONS);
  const wanted = raw.split(",").map((s) => s.trim());
  for (const s of wanted) {
    if (!(ALL_SECTIONS as readonly string[]).includes(s)) {
      throw new Error(`BENCH_SECTIONS: unknown section "${s}" (known: ${ALL_SECTIONS.join(", ")})`);
    }
  }
  return new Set(wanted as SectionName[]);
}
