import type restify from "restify";
import { createMemoryStores, type MemoryStores } from "../../../src/adapters/memory";
import { FixedClock } from "../../../src/adapters/runtime/clock";
import { SequentialIds } from "../../../src/adapters/runtime/ids";
import { silentLogger } from "../../../src/adapters/runtime/logger";
import { buildBot as createBot, type WiredBot as Bot } from "../../../src/composition/bot";
import { createHttpServer, listen } from "../../../src/http/server";
import { createLocalChannel, type LocalChannel } from "../../../src/local-channel";
import type { Provisioner, ProvisioningOperation } from "../../../src/ports/provisioner";
import { FixtureDirectory, USERS, governanceFixture } from "../fixtures/organization";

export const START = "2026-11-23T10:00:00.000Z";

/** Grants everything and records what it was asked. */
export class RecordingProvisioner implements Provisioner {
  readonly applied: ProvisioningOperation[] = [];
  async apply(operations: ProvisioningOperation[]) {
    this.applied.push(...operations);
    return operations.map(() => ({ status: "done" as const }));
  }
  async holds() {
    return false;
  }
}

export interface Harness {
  stores: MemoryStores;
  clock: FixedClock;
  provisioner: RecordingProvisioner;
  bot: Bot;
}

/** The bot on in-memory stores, the fixture organisation and a fixed clock. */
export async function createHarness(serviceUrl?: string): Promise<Harness> {
  const stores = createMemoryStores();
  await stores.governance.save(governanceFixture());
  const clock = new FixedClock(START);
  const provisioner = new RecordingProvisioner();
  const bot = createBot({
    ...stores,
    directory: new FixtureDirectory(),
    provisioner,
    clock,
    ids: new SequentialIds(),
    logger: silentLogger,
    bot: { appId: "", serviceUrl },
  });
  return { stores, clock, provisioner, bot };
}

export interface HttpHarness extends Harness {
  channel: LocalChannel;
  botUrl: string;
  /** Waits until every queued notification went out. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The whole bot behind restify on loopback, driven by the local Teams-shaped channel. */
export async function startOverHttp(): Promise<HttpHarness> {
  const channel = createLocalChannel({
    botEndpoint: "http://127.0.0.1:1/api/messages",
    personas: USERS.map((u) => ({ id: u.id, displayName: u.displayName, role: "user" })),
  });
  await channel.listen();
  const harness = await createHarness(channel.serviceUrl);
  const server: restify.Server = createHttpServer({
    handleMessages: harness.bot.handleMessages,
    ready: async () => true,
    logger: silentLogger,
  });
  const botUrl = await listen(server, 0, "127.0.0.1");
  channel.botEndpoint = `${botUrl}/api/messages`;
  return {
    ...harness,
    channel,
    botUrl,
    async settle() {
      // Background delivery and notifications chain into each other: wait until both are quiet.
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await harness.bot.events.drain();
      }
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await channel.close();
    },
  };
}
