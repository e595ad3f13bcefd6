import type restify from "restify";
import type { MemoryStores } from "../../src/adapters/memory";
import { silentLogger } from "../../src/adapters/runtime/logger";
import type { FixedClock } from "../../src/adapters/runtime/clock";
import type { BotSettings } from "../../src/composition/bot";
import { createHttpServer, listen } from "../../src/http/server";
import type { AuditDownload } from "../../src/http/audit-download";
import { createLocalChannel, type LocalChannel, type Persona } from "../../src/local-channel";
import type { Directory } from "../../src/ports/directory";
import type { Provisioner } from "../../src/ports/provisioner";
import type { Clock } from "../../src/ports/runtime";
import type { Stores } from "../../src/ports/stores";
import { FixtureDirectory, USERS } from "../bot/fixtures/organization";
import type { RecordingProvisioner } from "./recording";
import { type BotWorld, type WorldOptions, buildBotWorld } from "./world";

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface Served {
  /** The server's base URL on loopback. */
  url: string;
  /** `POST /api/messages` */
  endpoint: string;
  close(): Promise<void>;
}

/** `handleMessages` behind the project's restify server on loopback (body limits, health routes). */
export async function serveMessages(
  handleMessages: Handler,
  /** The signed audit download route, as the composition root mounts it. */
  auditDownload?: AuditDownload,
): Promise<Served> {
  const server = createHttpServer({
    handleMessages,
    ready: async () => true,
    logger: silentLogger,
    auditDownload,
  });
  const url = await listen(server, 0, "127.0.0.1");
  return {
    url,
    endpoint: `${url}/api/messages`,
    async close() {
      // Keep-alive sockets of a fetch or the channel would hold close() open.
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface BotWorldOverHttp<
  S = MemoryStores,
  D = FixtureDirectory,
  P = RecordingProvisioner,
  C = FixedClock,
> extends BotWorld<S, D, P, C>,
    Served {
  /** The local Teams-shaped channel: it calls the bot and records what the bot sends back. */
  channel: LocalChannel;
  /** Waits until background delivery and every queued notification went out. */
  settle(): Promise<void>;
}

/**
 * The whole bot over HTTP against the local channel, each on its own loopback port; the channel's
 * people are the fixture organisation's unless `personas` says otherwise.
 */
export async function startBotWorld<
  S extends Stores = MemoryStores,
  D extends Directory = FixtureDirectory,
  P extends Provisioner = RecordingProvisioner,
  C extends Clock = FixedClock,
>(
  options: WorldOptions<S, D, P, C> & { personas?: Persona[]; bot?: Partial<BotSettings> } = {},
): Promise<BotWorldOverHttp<S, D, P, C>> {
  const personas =
    options.personas ?? USERS.map((u) => ({ id: u.id, displayName: u.displayName, role: "user" }));
  // The bot is told the channel's address when it is built, so the channel listens first.
  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages", personas });
  await channel.listen();
  const world = buildBotWorld({ ...options, bot: { ...options.bot, serviceUrl: channel.serviceUrl } });
  const served = await serveMessages(world.bot.handleMessages, world.bot.auditDownload);
  // Signed download links point at this server, known once it listens (as src/main.ts in local mode).
  world.bot.deps.publicUrl = served.url;
  channel.botEndpoint = served.endpoint;
  return {
    ...world,
    ...served,
    channel,
    async settle() {
      // Background delivery and notifications chain into each other: wait until both are quiet.
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await world.bot.events.drain();
      }
    },
    async close() {
      await served.close();
      await channel.close();
    },
  };
}
