/**
 * The composition root: the one place that builds adapters and wires them to the use cases, the
 * bot, the scheduler and the HTTP server. `node dist/main.js` runs it in production; `npm start`
 * runs it in local mode through `src/cli/start-local.ts`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import type restify from "restify";
import { ConfigError, loadConfig, type Config } from "./config";
import type { AppDeps } from "./app/deps";
import type { TableStores } from "./adapters/tables";
import { openTableStores } from "./composition/storage";
import { ShiftableClock, systemClock } from "./adapters/runtime/clock";
import { RandomIds } from "./adapters/runtime/ids";
import { contextualLogger, createLogger } from "./adapters/runtime/logger";
import { createDirectory, guestLinkingDirectory, invitationSettings } from "./composition/directory";
import { CachedGovernanceStore } from "./adapters/cache/cached-governance-store";
import { seedDemoAssignments } from "./composition/demo-seed";
import { createHttpServer, listen } from "./http/server";
import { applyGovernanceFromDir, formatProblem } from "./governance";
import { createScheduler, mergeHandlers, type Scheduler } from "./scheduler";
import { requestDeadlineHandlers } from "./app/handle-request-deadline";
import { createLifecycleHandlers, resolveLifecycleSettings, scheduleLifecycle } from "./app/lifecycle";
import { settleGovernanceAudit } from "./app/shared/governance-change";
import type { LocalChannel } from "./local-channel";
import { createLocalChat } from "./composition/local-chat";
import { buildBot, type WiredBot } from "./composition/bot";
import { AnswersFirst } from "./app/notify/answers-first";
import { stepUpWiring } from "./composition/step-up";
import { silentEvents } from "./app/notify/silent-events";
import { effectsHandlers } from "./app/notify/effects-handler";
import type { Logger } from "./ports/logger";
import { buildExtensionPorts } from "./composition/extensions";
import { mountExtensionCallback } from "./http/extension-callback";
import { answerApprovalCallback, extensionHandlers } from "./app/extensions";
import { HmacLinkSigner } from "./adapters/runtime/link-signer";
import { guestLifecycleHandlers, scheduleGuestLifecycle } from "./app/guests/run-guest-lifecycle";

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
  // Turns being answered: notices, audit rows and dropped index rows wait for them (docs/decisions.md).
  const answersFirst = new AnswersFirst();
  const stores = openTableStores(config, config.storage.connectionString, { afterAnswers: answersFirst });
  await stores.ensureTables();
  const directoryParts = createDirectory(config, clock, log);
  await directoryParts.ensure();

  // In local mode the bot opens conversations at the local chat page's address, which is known
  // once the server listens (PORT=0 in tests): listen first, report ready once the bot is wired.
  const started: { bot?: WiredBot; scheduler?: Scheduler } = {};
  const localChannel =
    config.mode === "local"
      ? createLocalChat(
          {
            clock,
            directory: directoryParts.directory,
            sweepOnce: async () => started.scheduler?.sweepOnce(),
          },
          `${config.publicUrl}/api/messages`,
        )
      : undefined;
  const server = createHttpServer({
    handleMessages: (req, res) =>
      started.bot
        ? started.bot.handleMessages(req, res)
        : Promise.reject(new Error("Access Desk is starting")),
    ready: async () => {
      await stores.ping();
      return started.bot !== undefined;
    },
    mount: (s: restify.Server) => {
      localChannel?.mount(s);
      // Approval extensions decide through their single-use callback URLs.
      mountExtensionCallback(s, {
        answer: (input) =>
          started.bot
            ? answerApprovalCallback(started.bot.deps, input)
            : Promise.reject(new Error("Access Desk is starting")),
        logger: log,
      });
    },
    auditDownload: (token) =>
      started.bot ? started.bot.auditDownload(token) : Promise.reject(new Error("Access Desk is starting")),
    logger: log,
  });
  const url = await listen(server, config.port, config.host);
  const signer = auditLinkSigner(config);

  const governance = new CachedGovernanceStore(stores.governance, clock);
  const wired = buildBot({
    requests: stores.requests,
    assignments: stores.assignments,
    reviews: stores.reviews,
    due: stores.due,
    audit: stores.audit,
    conversations: stores.conversations,
    deliveries: stores.deliveries,
    claims: stores.claims,
    governance,
    // Guests carry their connected organisation (by domain); invited partners are described.
    directory: guestLinkingDirectory(
      directoryParts,
      async () => (await governance.load()).connectedOrganizations,
    ),
    invitations: invitationSettings(config, directoryParts),
    provisioner: directoryParts.provisioner,
    clock,
    ids: new RandomIds(clock),
    logger: log,
    reminderOffsetsHours: config.scheduler.expiryReminderHours,
    governanceAdministratorsGroupId: config.governanceAdministratorsGroupId,
    extensions: buildExtensionPorts({
      ...config,
      publicUrl: config.mode === "local" ? url : config.publicUrl,
    }),
    auditorsGroupId: config.auditorsGroupId,
    delegations: stores.delegations,
    auditLinks: signer ? { signer, used: stores.usedLinks } : undefined,
    bot: {
      ...config.bot,
      // BOT_SERVICE_URL when set (production: Teams' global one), else the local chat page.
      serviceUrl: config.bot.serviceUrl ?? localChannel?.serviceUrl,
      installer: directoryParts.installer,
      sentMessages: directoryParts.sentMessages,
      stepUp: stepUpWiring(config, clock, stores.stepUpProofs, localChannel?.identity),
      publicUrl: config.mode === "local" ? url : config.publicUrl,
      answersFirst,
    },
  });
  const deps = wired.deps;
  // Audit rows that a governance change promised before a crash are written now (idempotent).
  const owed = await settleGovernanceAudit(deps);
  if (owed > 0) log.info({ rows: owed }, "audited governance changes an interrupted change left owed");

  if (config.mode === "local") {
    await applyDemoGovernance(config, deps, log);
    // The demo's standing access predates the chat: seeding it announces nothing.
    await seedDemoAssignments({ ...deps, events: silentEvents(deps.due) });
  }
  const lifecycle = resolveLifecycleSettings({
    reconcileIntervalHours: config.scheduler.reconcileIntervalHours,
  });
  await scheduleLifecycle(deps, await deps.governance.load(), clock.now().toISOString(), lifecycle);
  await scheduleGuestLifecycle(deps, clock.now().toISOString());

  const sweeper = createScheduler({
    deps,
    leases: stores.leases,
    handlers: mergeHandlers(
      requestDeadlineHandlers,
      createLifecycleHandlers(lifecycle),
      effectsHandlers,
      extensionHandlers,
      guestLifecycleHandlers,
    ),
    instanceId: `${process.pid}-${randomUUID().slice(0, 8)}`,
    intervalMs: config.scheduler.intervalMs,
    batchSize: config.scheduler.batchSize,
    logger: log,
    auditDays: { chain: stores.audit, retentionDays: config.auditRetentionDays ?? 2557 },
  });
  started.scheduler = sweeper;
  started.bot = wired;
  if (localChannel) {
    localChannel.botEndpoint = `${url}/api/messages`;
    await localChannel.installTeam(DEMO_TEAM.id, DEMO_TEAM.channels, { name: DEMO_TEAM.name });
  }
  if (config.scheduler.enabled) sweeper.start();
  log.info({ url, mode: config.mode }, "Access Desk is listening");

  return {
    url,
    config,
    deps,
    stores,
    clock,
    scheduler: sweeper,
    localChannel,
    async stop() {
      await sweeper.stop();
      await wired.events.drain();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await localChannel?.close();
    },
  };
}

/** Signs audit download links: with AUDIT_LINK_SECRET, or in local mode with a secret made up at start. */
function auditLinkSigner(config: Config): HmacLinkSigner | undefined {
  if (config.auditLinkSecret) return new HmacLinkSigner(config.auditLinkSecret);
  return config.mode === "local" ? new HmacLinkSigner(randomBytes(32).toString("hex")) : undefined;
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
    { directory: deps.directory, allowLoopbackHttp: config.mode === "local" },
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
