import type restify from "restify";
import { createTableStores } from "../src/adapters/tables";
import {
  LocalDirectory,
  LocalProvisioner,
  MemoryMembershipStore,
  DEMO,
} from "../src/adapters/local-directory";
import { systemClock } from "../src/adapters/runtime/clock";
import { RandomIds } from "../src/adapters/runtime/ids";
import { silentLogger } from "../src/adapters/runtime/logger";
import { buildBot as createBot, type WiredBot as Bot } from "../src/composition/bot";
import { createHttpServer, listen } from "../src/http/server";
import { createLocalChannel, type LocalChannel } from "../src/local-channel";
import type { Provisioner } from "../src/ports/provisioner";
import type { DirectoryUser } from "../src/domain/model";
import { benchGovernance, benchOrganization } from "./fixtures";
import { CardWaiter } from "./cards";

/** A provisioner whose grants can be made slow while the bot runs. */
export class AdjustableProvisioner implements Provisioner {
  delayPerGrantMs = 0;
  constructor(private readonly inner: Provisioner) {}
  async apply(operations: Parameters<Provisioner["apply"]>[0]) {
    const grants = operations.filter((o) => o.action === "grant").length;
    if (this.delayPerGrantMs > 0) await new Promise((r) => setTimeout(r, this.delayPerGrantMs * grants));
    return this.inner.apply(operations);
  }
  holds(...args: Parameters<Provisioner["holds"]>) {
    return this.inner.holds(...args);
  }
}

export interface BotOverHttp {
  bot: Bot;
  channel: LocalChannel;
  waiter: CardWaiter;
  employees: DirectoryUser[];
  provisioner: AdjustableProvisioner;
  stores: ReturnType<typeof createTableStores>;
  close(): Promise<void>;
}

/** Serves `handleMessages` on the project's restify server on loopback; the channel calls it. */
export async function serve(
  channel: LocalChannel,
  handleMessages: (req: restify.Request, res: restify.Response) => Promise<void>,
) {
  const server = createHttpServer({ handleMessages, ready: async () => true, logger: silentLogger });
  const url = await listen(server, 0, "127.0.0.1");
  channel.botEndpoint = `${url}/api/messages`;
  return async () => {
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/**
 * The Access Desk bot on table stores, the demo organisation with `people` generated employees,
 * behind restify, with a local Teams-shaped channel answering its outgoing calls. Everyone who
 * will act has installed the app first (as in Teams), so proactive cards reach a known chat.
 */
export async function startBotOverHttp(connectionString: string, people: number): Promise<BotOverHttp> {
  const { organization, employees } = benchOrganization(people);
  const stores = createTableStores(connectionString, { tablePrefix: "BenchHttp" });
  await stores.ensureTables();
  await stores.governance.save(await benchGovernance());
  const directory = new LocalDirectory(organization, new MemoryMembershipStore());
  const provisioner = new AdjustableProvisioner(new LocalProvisioner(directory));

  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages" });
  await channel.listen();
  const bot = createBot({
    ...stores,
    directory,
    provisioner,
    clock: systemClock,
    ids: new RandomIds(systemClock),
    logger: silentLogger,
    bot: { appId: "", serviceUrl: channel.serviceUrl },
  });
  const stop = await serve(channel, bot.handleMessages);
  const security = await directory.getGroupMemberIds(DEMO.groups.securityTeam);
  const managers = [...new Set(employees.map((e) => e.managerId!))];
  for (const id of [...security, ...managers, ...employees.map((e) => e.id)]) await channel.install(id);
  await bot.events.drain();
  const waiter = new CardWaiter(channel);
  return {
    bot,
    channel,
    waiter,
    employees,
    provisioner,
    stores,
    async close() {
      waiter.close();
      await stop();
      await channel.close();
    },
  };
}
