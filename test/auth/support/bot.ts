import { randomUUID } from "node:crypto";
import type restify from "restify";
import { createMemoryStores, type MemoryStores } from "../../../src/adapters/memory";
import { FixedClock } from "../../../src/adapters/runtime/clock";
import { SequentialIds } from "../../../src/adapters/runtime/ids";
import { silentLogger } from "../../../src/adapters/runtime/logger";
import type { BotAuthentication } from "../../../src/adapters/teams/bot-auth";
import { buildBot as createBot, type WiredBot as Bot, type BotSettings } from "../../../src/composition/bot";
import { createHttpServer, listen } from "../../../src/http/server";
import { FixtureDirectory, governanceFixture } from "../../bot/fixtures/organization";

export const TENANT_ID = "7a1d3c55-0000-4000-8000-00000000a11d";

export interface BotOverHttp {
  bot: Bot;
  stores: MemoryStores;
  /** `POST /api/messages` */
  endpoint: string;
  close(): Promise<void>;
}

/** The real bot behind the real HTTP server on loopback, with the given Bot Framework settings. */
export async function startBot(
  settings: BotSettings & { authentication?: BotAuthentication },
): Promise<BotOverHttp> {
  const stores = createMemoryStores();
  await stores.governance.save(governanceFixture());
  const bot = createBot({
    ...stores,
    directory: new FixtureDirectory(),
    provisioner: {
      apply: async (operations) => operations.map(() => ({ status: "done" as const })),
      holds: async () => false,
    },
    clock: new FixedClock("2026-11-23T10:00:00.000Z"),
    ids: new SequentialIds(),
    logger: silentLogger,
    bot: settings,
  });
  const server: restify.Server = createHttpServer({
    handleMessages: bot.handleMessages,
    ready: async () => true,
    logger: silentLogger,
  });
  const url = await listen(server, 0, "127.0.0.1");
  return {
    bot,
    stores,
    endpoint: `${url}/api/messages`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** "help" from Ana in her personal chat, shaped like a Teams message activity. */
export function helpMessage(
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "message",
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: "msteams",
    from: { id: "29:ana", aadObjectId: "ana", name: "Ana Costa" },
    recipient: { id: "28:access-desk", name: "Access Desk" },
    conversation: { id: "a:ana-personal", conversationType: "personal", tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    locale: "en-US",
    text: "help",
    ...overrides,
  };
}

export async function post(
  endpoint: string,
  activity: Record<string, unknown>,
  token?: string,
): Promise<{ status: number; text: string }> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity),
  });
  return { status: response.status, text: await response.text() };
}
