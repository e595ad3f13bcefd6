import { rmSync } from "node:fs";
import type { DirectoryUser } from "../src/domain/model";
import { createLocalChannel } from "../src/local-channel";
import { DEMO } from "../src/adapters/local-directory";
import { azuriteStores, tableStoresOn } from "../test/support/stores";
import { botAnswered, compiledBot, cpuQuiet, rssOf, sampleRss, spawnBot, spawnBots } from "./bot-spawn";
import { Driver, overlapped, together } from "./driver";
import { benchGovernance, benchOrganization } from "./fixtures";
import { expectOk, stats } from "./latency";
import { runConcurrently } from "./measure";
import { type Section } from "./report";
import { reportE2e, traceTable } from "./e2e-report";
import { roundTrips, startTraceProxy, longestChain, type TracedOperation } from "./trace-proxy";

export interface E2eOptions {
  concurrency: number;
  /** Approve invokes measured alone (C=1), each of stage 1 and stage 2. */
  solo: number;
  /** Rounds of C approve invokes fired at once (per stage), and as many echo rounds. */
  rounds: number;
  /** Lifecycles with stage 1 spread over managers (2 employees each), and with one manager for all. */
  spread: number;
  single: number;
  /** Lifecycles traced one at a time (after one warm-up) for the storage requests of each step. */
  traced: number;
  /** Lifecycles the bot whose clicks are timed runs before them. */
  warmUp: number;
  /** Measures the storage floor (ops/s) now. */
  floor: () => Promise<number>;
}

const PREFIX = "BenchE2e";
const STEPS = ["message", "request.form", "submit", "stage-1 approve", "stage-2 approve"] as const;
type Step = (typeof STEPS)[number];

/** Section: the bot in its own process over HTTP, storage counted through a proxy, RSS read from /proc. */
export async function e2eSection(connectionString: string, opts: E2eOptions, out: Section): Promise<void> {
  const c = opts.concurrency;
  const warm = 2;
  const cohorts = {
    warm: warm + 1,
    traced: opts.traced,
    warmDirect: opts.warmUp,
    solo: opts.solo,
    // One more round than measured: the first burst of C warms each bot at that concurrency.
    rounds: (opts.rounds + 1) * c,
    spread: opts.spread,
    // The compiled bot's cohort reports to managers two by two, like "spread" (before "single").
    compiled: opts.spread,
    single: opts.single,
  };
  let next = 0;
  const ranges = Object.fromEntries(
    Object.entries(cohorts).map(([k, n]) => [k, [next, (next += n)] as const]),
  ) as Record<keyof typeof cohorts, readonly [number, number]>;
  const people = next;
  const shape = { perManager: 2, oneManagerFrom: ranges.single[0] };
  const { employees } = benchOrganization(people, shape);
  const cohort = (k: keyof typeof cohorts) => employees.slice(...ranges[k]);

  const port = Number(/127\.0\.0\.1:(\d+)/.exec(connectionString)![1]);
  const proxy = await startTraceProxy(port, PREFIX);
  // Tables and the governance are set up directly, not through the counting proxy.
  await azuriteStores(connectionString, { tablePrefix: PREFIX, governance: await benchGovernance() });
  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages", personas: [] });
  await channel.listen();
  const echoChannel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages", personas: [] });
  await echoChannel.listen();
  const botEnv = {
    BENCH_BOT_STORAGE: connectionString,
    BENCH_BOT_PREFIX: PREFIX,
    BENCH_BOT_SERVICE_URL: channel.serviceUrl,
    BENCH_BOT_PEOPLE: String(people),
    BENCH_BOT_PER_MANAGER: String(shape.perManager),
    BENCH_BOT_ONE_MANAGER_FROM: String(shape.oneManagerFrom),
  };
  const bundle = compiledBot();
  let compiled: Awaited<ReturnType<typeof spawnBot>> | undefined;
  // The traced bot reaches storage through the counting proxy; the bot whose clicks, throughput and
  // memory are measured reaches it directly, as a deployed bot does (the proxy's hop costs ~0.4 ms a
  // request). Both share the tables, as two instances of one deployment do.
  const traceEnv = {
    ...botEnv,
    BENCH_BOT_STORAGE: connectionString.replace(`127.0.0.1:${port}`, `127.0.0.1:${proxy.port}`),
  };
  const [traced, bot, echo] = await spawnBots([traceEnv, botEnv, { BENCH_BOT_ECHO: "1" }]);
  channel.botEndpoint = `${traced.url}/api/messages`;
  echoChannel.botEndpoint = `${echo.url}/api/messages`;
  const driver = new Driver(channel, tableStoresOn(connectionString, { tablePrefix: PREFIX }));
  try {
    const security = [DEMO.securityApprover];
    const managers = [...new Set(employees.map((e) => e.managerId!))];
    const everyone = [...security, ...managers, ...employees.map((e) => e.id)];
    await runConcurrently(everyone.length, 8, (i) => channel.install(everyone[i]!).then(() => undefined));
    // The General catalog's channel is there, as in a tenant: its "granted" notice goes out, not refused.
    await channel.installTeam("team-access-desk", [
      { id: "channel-access-requests", name: "Access requests" },
    ]);
    for (const e of cohort("warm")) await driver.lifecycle(e);
    await proxy.quiet();

    // 1. Storage requests and round trips per step, one lifecycle at a time, the bot idle in between.
    const perStep = new Map<string, TracedOperation[]>();
    const record = (label: string) => {
      const ops = proxy.operations.filter((o) => o.step === label);
      perStep.set(label, [...(perStep.get(label) ?? []), ...ops]);
    };
    const trips = new Map<Step, number[]>();
    const tracedPeople = cohort("traced");
    for (const [n, e] of tracedPeople.entries()) {
      let requestId = "";
      const step = async (name: Step, run: () => Promise<void>, then?: () => Promise<unknown>) => {
        const tag = `${n}:${name}`;
        proxy.setStep(`${tag}|before`);
        const answersBefore = traced.answers.length;
        await run();
        // The bot's own moment of answering: a request it started after it (a notice's read) may
        // end before the driver reads the answer, and is no round trip the answer waited for.
        const answered = await botAnswered(traced.answers, answersBefore);
        proxy.setStep(`${tag}|after`);
        await then?.();
        await proxy.quiet();
        proxy.setStep("idle");
        const before = proxy.operations.filter(
          (o) => o.step === `${tag}|before` && o.doneAt !== undefined && o.doneAt <= answered,
        );
        trips.set(name, [...(trips.get(name) ?? []), roundTrips(before)]);
        if (process.env.SHOW_OPERATIONS)
          console.error(
            tag,
            "longest chain before the answer:",
            longestChain(before).map((o) => o.what),
          );
        record(`${tag}|before`);
        record(`${tag}|after`);
      };
      await step("message", () => driver.message(e));
      await step("request.form", () => driver.form(e));
      await step("submit", () => driver.submitClick(e));
      requestId = await driver.requestOf(e);
      const approve1 = await driver.approve(e, requestId, 1);
      await step("stage-1 approve", approve1);
      const approve2 = await driver.approve(e, requestId, 2);
      await step("stage-2 approve", approve2, () => driver.notice(e));
    }
    const runs = tracedPeople.length;
    const { rows: traceRows, total } = traceTable(STEPS, perStep, trips, runs);

    // From here on the bot that reaches storage directly answers, warmed up as the traced one was.
    traced.child.kill();
    channel.botEndpoint = `${bot.url}/api/messages`;
    for (const e of cohort("warmDirect")) await driver.lifecycle(e);
    const idle = () => cpuQuiet(bot.child.pid!);
    await idle();
    const rssAfterWarm = rssOf(bot.child.pid!).rss;

    // 2. Click path: approve invokes alone, and C at once; echo invokes the same way, interleaved
    // with them (each bot idle while the other is measured), so a change in the machine's load
    // reaches both sides of the ratio alike.
    const echoUser = "echo-user";
    await echoChannel.install(echoUser);
    await echoChannel.say(echoUser, "hello");
    const echoCard = echoChannel.activities(echoChannel.conversationOf(echoUser)).at(-1)!.id;
    const echoClick = () => async () => {
      const answer = await echoChannel.invoke(echoUser, echoCard, "approval.approve", {
        requestId: "r",
        stage: 1,
      });
      expectOk("echo invoke", answer, true);
    };
    for (let i = 0; i < 20; i++) await echoClick()();
    const solo: number[] = [];
    const echoSolo: number[] = [];
    const echoAlone = async () => {
      for (let i = 0; i < 2; i++) {
        const [t] = await together([echoClick()]);
        echoSolo.push(t!.end - t!.start);
      }
    };
    for (const e of cohort("solo")) {
      await driver.message(e);
      await driver.form(e);
      const requestId = await driver.submit(e);
      for (const stage of [1, 2]) {
        // Found as it arrives: a later update of its copies draws the read-only base card (Teams
        // refreshes the buttons in for the stage's approvers), which this driver does not see.
        const click = await driver.approve(e, requestId, stage);
        if (stage === 2) {
          await idle();
          await echoAlone();
        }
        await idle();
        const [t] = await together([click]);
        solo.push(t!.end - t!.start);
      }
      await driver.notice(e);
      await idle();
      await echoAlone();
    }
    const atOnce: number[] = [];
    let allOverlapped = true;
    const echoAtOnce: number[] = [];
    let echoOverlapped = true;
    // Round 0 is not measured, on either bot: a process's first burst of C clicks opens the
    // connections it will keep (to storage, to the connector) and runs code paths that C=1 did
    // not, a one-time cost of its start rather than of a click.
    let measured = false;
    const echoRound = async () => {
      const times = await together(Array.from({ length: c }, echoClick));
      if (!measured) return;
      echoOverlapped &&= overlapped(times);
      echoAtOnce.push(...times.map((t) => t.end - t.start));
    };
    const roundPeople = cohort("rounds");
    for (let r = 0; r <= opts.rounds; r++) {
      measured = r > 0;
      const group = roundPeople.slice(r * c, (r + 1) * c);
      const ids = await Promise.all(
        group.map(async (e) => {
          await driver.message(e);
          await driver.form(e);
          return driver.submit(e);
        }),
      );
      for (const stage of [1, 2]) {
        const clicks = await Promise.all(group.map((e, i) => driver.approve(e, ids[i]!, stage)));
        if (stage === 2) {
          await idle();
          await echoRound();
        }
        await idle();
        const times = await together(clicks);
        if (!measured) continue;
        allOverlapped &&= overlapped(times);
        atOnce.push(...times.map((t) => t.end - t.start));
      }
      await Promise.all(group.map((e) => driver.notice(e)));
      await idle();
      await echoRound();
    }

    // 3. Throughput, final approval to notice, and the bot's memory, with the floor right before and after.
    const floorBefore = await opts.floor();
    const rss = sampleRss(bot.child.pid!);
    const throughput = async (list: DirectoryUser[]) => {
      const lags: number[] = [];
      const run = await runConcurrently(list.length, c, async (i) => {
        lags.push(await driver.lifecycle(list[i]!));
      });
      return { perSecond: run.perSecond, lag: stats(lags) };
    };
    const spread = await throughput(cohort("spread"));
    const single = await throughput(cohort("single"));
    const memory = rss.stop();
    const floorAfter = await opts.floor();

    // 4. The same load on the bot compiled ahead (plain node, no tsx), in a fresh process on the same
    // tables: the tsx bot is stopped, the channel calls the compiled one.
    let compiledMemory: { steady: number; peak: number; afterStart: number; perSecond: number } | undefined;
    const file = await bundle;
    if (file) {
      bot.child.kill();
      compiled = await spawnBot(botEnv, file);
      channel.botEndpoint = `${compiled.url}/api/messages`;
      const afterStart = rssOf(compiled.child.pid!).rss;
      for (const e of cohort("compiled").slice(0, warm)) await driver.lifecycle(e);
      const sampled = sampleRss(compiled.child.pid!);
      const run = await throughput(cohort("compiled").slice(warm));
      compiledMemory = { ...sampled.stop(), afterStart, perSecond: run.perSecond };
    }

    reportE2e(out, {
      c,
      warmUp: opts.warmUp,
      opts,
      clicks: { solo, atOnce, echoSolo, echoAtOnce, allOverlapped, echoOverlapped },
      total,
      trips,
      runs,
      traceRows,
      spread,
      single,
      floorBefore,
      floorAfter,
      memory,
      rssAfterWarm,
      ...(compiledMemory ? { compiledMemory } : {}),
    });
  } finally {
    driver.close();
    traced.child.kill();
    bot.child.kill();
    compiled?.child.kill();
    const file = await bundle;
    if (file) rmSync(file, { force: true });
    echo.child.kill();
    await channel.close();
    await echoChannel.close();
    await proxy.close();
  }
}
