import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAzurite } from "../src/dev/azurite";
import { config, quick, type SectionName } from "./config";
import { measureFloor } from "./floor";
import { fmt } from "./measure";
import { renderConsole, renderMarkdown, Report, type Section } from "./report";

// Sections load their modules when they start, so the memory of section 2 (use cases and stores)
// does not include the bot stack that section 3 loads.
const sections = {
  lifecycles: () => import("./lifecycles.js"),
  http: () => import("./http-level.js"),
  e2e: () => import("./e2e.js"),
  sweep: () => import("./sweep.js"),
  fanout: () => import("./fanout.js"),
  lag: () => import("./notify-lag.js"),
  review: () => import("./review-scale.js"),
  digest: () => import("./digest-burst.js"),
};

/** What each section leaves out, stated under its figures. */
const LEAVES_OUT: Partial<Record<SectionName, string>> = {
  floor:
    "Leaves out: queries, transactions and a real network (Azurite on loopback, on the same cores as the benchmark).",
  lifecycle:
    "Leaves out: the bot layer (HTTP, chat turns, card rendering, conversation references), notifications and their delivery log (events go to a sink that does nothing), Microsoft Graph (the local directory). Section 4 counts what the running bot adds.",
  http: "Leaves out: process separation (bot, channel and driver share this process and its CPU), a like-for-like floor (section 4 compares approve and echo invokes), Teams' latency and throttling, tokens.",
  sweep:
    "Leaves out: the work of each due item (the handler does nothing here: no notice, no provisioning, no Teams or Graph call).",
  fanout:
    "Leaves out: storage and card rendering (each send is a ready card), Teams' own latency (the connector answers at once).",
};

/** One benchmark run against a fresh in-memory Azurite: every section, a table, docs/benchmarks.md. */
async function main(): Promise<void> {
  const started = new Date();
  const load = os.loadavg();
  const azurite = await startAzurite({ inMemory: true });
  const report = new Report();
  const c = config.concurrency;
  const floorAgain = async () =>
    (await measureFloor(azurite.connectionString, c, config.floorOperations)).opsPerSecond;

  const run = async (name: SectionName, title: string, body: (s: Section) => Promise<void>) => {
    const section = report.section(title);
    if (!config.sections.has(name)) {
      section.skipped = "not selected (BENCH_SECTIONS)";
      return;
    }
    const t0 = Date.now();
    const loadBefore = os.loadavg()[0]!;
    try {
      await body(section);
    } catch (error) {
      section.skipped = `failed: ${error instanceof Error ? error.message : String(error)}`;
      console.error(error);
    }
    const leavesOut = LEAVES_OUT[name];
    if (leavesOut) section.notes.push(leavesOut);
    section.notes.push(
      `Section time ${fmt((Date.now() - t0) / 1000)} s; 1-minute load average ${fmt(loadBefore, 2)} before, ${fmt(os.loadavg()[0]!, 2)} after.`,
    );
    console.log(renderConsole(section));
  };

  try {
    await run("floor", "1. Storage floor", async (s) => {
      const floor = await measureFloor(azurite.connectionString, c, config.floorOperations);
      s.rows.push(
        {
          metric: `point reads/s (C=${c})`,
          value: `${fmt(floor.reads.perSecond, 0)} (p50 ${fmt(floor.reads.p50)} ms, p99 ${fmt(floor.reads.p99)} ms)`,
        },
        {
          metric: `read + ETag update pairs/s (C=${c})`,
          value: `${fmt(floor.updates.perSecond, 0)} (p50 ${fmt(floor.updates.p50)} ms, p99 ${fmt(floor.updates.p99)} ms)`,
        },
        { metric: "floor operations/s", value: fmt(floor.opsPerSecond, 0) },
      );
    });
    await run("lifecycle", "2. Request lifecycles through the use cases", async (s) =>
      (await sections.lifecycles()).lifecycleSection(
        azurite.connectionString,
        {
          concurrency: c,
          count: config.lifecycles,
          traced: config.tracedLifecycles,
          floor: floorAgain,
          azuritePid: azurite.pid,
        },
        s,
      ),
    );
    await run("http", "3. HTTP level: the bot behind restify", async (s) =>
      (await sections.http()).httpSection(
        azurite.connectionString,
        {
          concurrency: c,
          lifecycles: config.httpApprovals,
          echoes: config.httpEchoes,
          slowGrantMs: config.slowGrantMs,
        },
        s,
      ),
    );
    await run("e2e", "4. End to end: the bot in its own process over HTTP", async (s) =>
      (await sections.e2e()).e2eSection(
        azurite.connectionString,
        {
          concurrency: c,
          solo: config.e2eSolo,
          rounds: config.e2eRounds,
          spread: config.e2eSpread,
          single: config.e2eSingle,
          traced: config.e2eTraced,
          warmUp: config.e2eWarmUp,
          floor: floorAgain,
        },
        s,
      ),
    );
    await run("sweep", "5. Scheduler sweep", async (s) =>
      (await sections.sweep()).sweepSection(
        azurite.connectionString,
        config.sweepAssignments,
        config.sweepDueFraction,
        s,
      ),
    );
    await run("fanout", "6. Fan-out under Teams rate limits", async (s) =>
      (await sections.fanout()).fanoutSection(
        {
          messages: config.fanoutMessages,
          recipients: config.fanoutRecipients,
          concurrency: config.fanoutConcurrency,
        },
        {
          messages: config.burstMessages,
          recipients: Math.ceil(config.burstMessages / 5),
          concurrency: config.burstConcurrency,
          grouped: true,
        },
        s,
      ),
    );
    await run("lag", "7. Notification lag beside a saturated or hung chat", async (s) =>
      (await sections.lag()).notifyLagSection(
        { quiet: config.lagQuietChats, phaseSeconds: config.lagPhaseSeconds, noisy: config.lagNoisyMessages },
        s,
      ),
    );
    await run(
      "review",
      "8. Scale: one access review of 20,000 assignments across 2,000 reviewers",
      async (s) =>
        (await sections.review()).reviewScaleSection(
          azurite.connectionString,
          {
            items: config.reviewItems,
            reviewers: config.reviewReviewers,
            concurrency: config.reviewConcurrency,
          },
          s,
        ),
    );
    await run(
      "digest",
      "9. A burst for one approver group, with approval digests, under Teams' limits",
      async (s) =>
        (await sections.digest()).digestBurstSection(
          azurite.connectionString,
          { requests: config.digestRequests, perManager: config.digestPerManager },
          s,
        ),
    );
  } finally {
    await azurite.stop();
  }

  const header = [
    "# Benchmarks",
    "",
    "Reproduce with `npm run bench` (sizes: `BENCH_SCALE`, `BENCH_CONCURRENCY`, `BENCH_SECTIONS`; see `bench/config.ts`);",
    "`npm run bench -- --quick` runs every section small (scale 0.05, 5,000 sweep rows, short lag phases, grants of 1 s in section 3) for everyday use (under 90 s on a quiet machine).",
    "Each run starts a fresh in-memory Azurite on 127.0.0.1; every figure below comes from that one run.",
    "",
    `- Date: ${started.toISOString()}`,
    `- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}`,
    `- Node ${process.version}; concurrency C = ${c}; scale ${config.scale}${quick ? " (--quick)" : ""}`,
    `- Load average at start: ${load.map((l) => l.toFixed(2)).join(", ")} (Azurite and the benchmark share these cores)`,
    `- Total time: ${fmt((Date.now() - started.getTime()) / 1000)} s`,
    "",
    "Azurite runs on the same two cores as the benchmark, so throughput figures move with whatever else the",
    "machine is doing (each section notes the load average around it); counts (storage operations, rows read,",
    "messages lost) do not. Section 2 lists every storage request each step of a lifecycle issues in the use",
    "cases; section 4 does the same for the running bot, notifications included.",
    "",
    "Every ratio compares the same kind of work at the same concurrency in the same run: section 2 judges",
    "lifecycles/s against the storage floor measured right before and right after its lifecycles (the higher",
    "of the two); section 4 judges approve invokes against a bare teams-ai echo bot answering the same",
    "invoke with a card, each bot alone in its own process, at C=1 (one click at a time, the bot idle) and",
    "at C=16 (16 clicks created in one tick, checked to be in flight together); the bot it times reaches",
    "storage directly, as a deployed bot does (another bot process, stopped before, counts its requests",
    "through a proxy). The bot's memory is read from outside its process (/proc/<pid>/status). Each",
    "section ends with what it leaves out.",

    "",
    "Memory: section 4 reads the bot's RSS twice, under tsx (its compiler and per-file transforms in the",
    "process) and compiled ahead (our code bundled by esbuild, packages from node_modules, plain node, as",
    "a built bot runs), each under load on the same tables. Most of the compiled bot's RSS is there before",
    "any work: ~150 MB after start (~172 MB before the heap was bounded), ~67 MB of it heap and ~2,300 loaded",
    "modules; the bare echo bot bundled the same way loads the same packages and sits at ~175 MB",
    "(adaptive-expressions and antlr4ts through the card templating and botbuilder-dialogs, openai through",
    "teams-ai, @azure/identity). The per-process caches of the code (aggregate versions: 1,000 entries,",
    "remembered references and delegations, sent-card copies) are bounded; load adds ~25 MB with the heap bounded.",
    "",
    "Scale: section 8 runs one access review of 20,000 assignments across 2,000 reviewers (`--quick`: 1,000",
    "across 100). A review is stored as a header and chunks of items in its own partition, so its size is no",
    "longer capped by one entity (the old layout held at most ~2,090 items).",
  ];
  if (config.reportPath) {
    const file = path.resolve(__dirname, "..", config.reportPath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, renderMarkdown(report, header));
    console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
