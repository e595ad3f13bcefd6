import type { TableStores } from "../src/adapters/tables";
import {
  DEMO,
  LocalDirectory,
  LocalProvisioner,
  MemoryMembershipStore,
} from "../src/adapters/local-directory";
import { systemClock } from "../src/adapters/runtime/clock";
import { RandomIds } from "../src/adapters/runtime/ids";
import type { Provisioner } from "../src/ports/provisioner";
import type { DirectoryUser } from "../src/domain/model";
import { startBotWorld, type BotWorldOverHttp } from "../test/support/over-http";
import { azuriteStores } from "../test/support/stores";
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

export interface BotOverHttp
  extends BotWorldOverHttp<TableStores, LocalDirectory, AdjustableProvisioner, typeof systemClock> {
  waiter: CardWaiter;
  employees: DirectoryUser[];
}

/**
 * The Access Desk bot on table stores, the demo organisation with `people` generated employees,
 * behind restify, with a local Teams-shaped channel answering its outgoing calls. Everyone who
 * will act has installed the app first (as in Teams), so proactive cards reach a known chat.
 */
export async function startBotOverHttp(connectionString: string, people: number): Promise<BotOverHttp> {
  const { organization, employees } = benchOrganization(people);
  const stores = await azuriteStores(connectionString, {
    tablePrefix: "BenchHttp",
    governance: await benchGovernance(),
  });
  const directory = new LocalDirectory(organization, new MemoryMembershipStore());
  const world = await startBotWorld({
    stores,
    directory,
    provisioner: new AdjustableProvisioner(new LocalProvisioner(directory)),
    clock: systemClock,
    ids: new RandomIds(systemClock),
    personas: [],
  });
  const security = await directory.getGroupMemberIds(DEMO.groups.securityTeam);
  const managers = [...new Set(employees.map((e) => e.managerId!))];
  for (const id of [...security, ...managers, ...employees.map((e) => e.id)]) await world.channel.install(id);
  await world.bot.events.drain();
  const waiter = new CardWaiter(world.channel);
  return {
    ...world,
    waiter,
    employees,
    async close() {
      waiter.close();
      await world.close();
    },
  };
}
