/**
 * The composition root: the one place that builds adapters and wires them to the use cases, the
 * bot, the scheduler and the HTTP server. `node dist/main.js` runs it in production; `npm start`
 * runs it in local mode through `src/cli/start-local.ts`.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type restify from "restify";
import { ConfigError, loadConfig, type Config } from "./config";
import type { AppDeps } from "./app/deps";
import { createTableStores, type TableStores } from "./adapters/tables";
import { ShiftableClock, systemClock } from "./adapters/runtime/clock";
import { RandomIds } from "./adapters/runtime/ids";
import { contextualLogger, createLogger } from "./adapters/runtime/logger";
import { createDirectory } from "./composition/directory";
import { CachedGovernanceStore } from "./adapters/cache/cached-governance-store";
import { seedDemoAssignments } from "./composition/demo-seed";
import { createBot, type Bot } from "./bot";
import { createHttpServer, listen } from "./http/server";
import { applyGovernanceFromDir, formatProblem } from "./governance";
import { createScheduler, mergeHandlers, type Scheduler } from "./scheduler";
import { requestDeadlineHandlers } from "./app/handle-request-deadline";
import { createLifecycleHandlers, resolveLifecycleSettings, scheduleLifecycle } from "./app/lifecycle";
import { createLocalChannel, type LocalChannel } from "./local-channel";
import { demoPersonas } from "./adapters/local-directory";
import type { Logger } from "./ports/logger";
import type { EventSink } from "./ports/events";

/** The demo team whose channel the governance files name for access notices. */
const DEMO_TEAM = {
  id: "team-access-desk",
  name: "Contoso IT",
  channels: [{ id: "channel-access-requests", name: "Access requests" }],
};

export interface RunningAccessDesk {
  url: string;
  config: Config;
  deps: AppDeps;
  stores: TableStores;
  clock: ShiftableClock;
  scheduler: Scheduler;
  /** The local chat page's channel (local mode only). */
  localChannel?: LocalChannel;
  stop(): Promise<void>;
}

export async function startAccessDesk(config: Config, logger?: Logger): Promise<RunningAccessDesk> {
  const log = contextualLogger(logger ?? createLogger(config.logLevel));
  const clock = new ShiftableClock(systemClock);
  const stores = createTableStores(config.storage.connectionString, {
    tablePrefix: config.storage.tablePrefix,
  });
  await stores.ensureTables();
  const directoryParts = createDirectory(config, clock, log);
  await directoryParts.ensure();

  // The bot's notification sink is the use cases' event sink; it is built after the deps object,
  // so the deps hold a forwarding sink that the bot fills in.
  const late: { sink?: EventSink; bot?: Bot } = {};
  const events: EventSink = { publish: (e) => (late.sink ? late.sink.publish(e) : Promise.resolve()) };
  const deps: AppDeps = {
    requests: stores.requests,
    assignments: stores.assignments,
    reviews: stores.reviews,
    governance: new CachedGovernanceStore(stores.governance, clock),
    due: stores.due,
    audit: stores.audit,
    directory: directoryParts.directory,
    provisioner: directoryParts.provisioner,
    events,
    clock,
    ids: new RandomIds(clock),
    logger: log,
    reminderOffsetsHours: config.scheduler.expiryReminderHours,
  };

  if (config.mode === "local") {
    await applyDemoGovernance(config, deps, log);
    await seedDemoAssignments(deps);
  }
  const lifecycle = resolveLifecycleSettings();
  await scheduleLifecycle(deps, await deps.governance.load(), clock.now().toISOString(), lifecycle);

  const scheduler = createScheduler({
    deps,
    leases: stores.leases,
    handlers: mergeHandlers(requestDeadlineHandlers, createLifecycleHandlers(lifecycle)),
    instanceId: `${process.pid}-${randomUUID().slice(0, 8)}`,
    intervalMs: config.scheduler.intervalMs,
    batchSize: config.scheduler.batchSize,
    logger: log,
  });

  const localChannel =
    config.mode === "local"
      ? createLocalChannel({
          botEndpoint: `${config.publicUrl}/api/messages`,
          personas: demoPersonas(),
          hooks: {
            now: () => clock.now().toISOString(),
            userGroups: async (userId) => {
              const ids = await deps.directory.getUserGroupIds(userId);
              const groups = await Promise.all(ids.map((id) => deps.directory.getGroup(id)));
              return groups.flatMap((g) => (g ? [{ id: g.id, displayName: g.displayName }] : []));
            },
            advanceClock: async (hours) => {
              const now = clock.advance(hours * 3_600_000).toISOString();
              await scheduler.sweepOnce();
              return now;
            },
          },
        })
      : undefined;

  // The bot is built once the server listens: in local mode it opens conversations at the local
  // channel's address, known only then (PORT=0 in tests).
  const server = createHttpServer({
    handleMessages: (req, res) =>
      late.bot ? late.bot.handleMessages(req, res) : Promise.reject(new Error("starting")),
    ready: async () => {
      await stores.ping();
      return true;
    },
    mount: localChannel ? (s: restify.Server) => localChannel.mount(s) : undefined,
    logger: log,
  });
  const url = await listen(server, config.port, config.host);
  late.bot = createBot({
    ...deps,
    conversations: stores.conversations,
    bot: { ...config.bot, serviceUrl: localChannel?.serviceUrl },
  });
  late.sink = late.bot.events;
  if (localChannel) {
    localChannel.botEndpoint = `${url}/api/messages`;
    await localChannel.installTeam(DEMO_TEAM.id, DEMO_TEAM.channels, { name: DEMO_TEAM.name });
  }
  if (config.scheduler.enabled) scheduler.start();
  log.info({ url, mode: config.mode }, "Access Desk is listening");

  return {
    url,
    config,
    deps,
    stores,
    clock,
    scheduler,
    localChannel,
    async stop() {
      await scheduler.stop();
      await late.bot?.events.drain();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await localChannel?.close();
    },
  };
}

/** Local mode loads the governance files on every start; apply is idempotent and audited. */
async function applyDemoGovernance(config: Config, deps: AppDeps, log: Logger): Promise<void> {
  const result = await applyGovernanceFromDir(
    path.resolve(config.governanceDir),
    {
      store: deps.governance,
      audit: deps.audit,
      actor: "system",
      now: deps.clock.now().toISOString(),
      source: "startup",
    },
    { directory: deps.directory },
  );
  if (!result.ok) {
    throw new Error(`The governance files are not valid:\n${result.problems.map(formatProblem).join("\n")}`);
  }
  if (result.changes.length > 0) log.info({ changes: result.changes.length }, "applied the governance files");
}

if (require.main === module) {
  try {
    const config = loadConfig();
    startAccessDesk(config).catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
