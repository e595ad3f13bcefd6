import { randomUUID } from "node:crypto";
import type { BotSettings } from "../../../src/composition/bot";
import { serveMessages } from "../../support/over-http";
import { memoryStores } from "../../support/stores";
import { buildBotWorld, type BotWorld } from "../../support/world";
import { governanceFixture } from "../../bot/fixtures/organization";

export const TENANT_ID = "7a1d3c55-0000-4000-8000-00000000a11d";

export interface BotOverHttp extends BotWorld {
  /** `POST /api/messages` */
  endpoint: string;
  close(): Promise<void>;
}

/** The real bot behind the real HTTP server on loopback, with the given Bot Framework settings. */
export async function startBot(settings: BotSettings): Promise<BotOverHttp> {
  const world = buildBotWorld({ stores: memoryStores(governanceFixture()), bot: settings });
  const { endpoint, close } = await serveMessages(world.bot.handleMessages);
  return { ...world, endpoint, close };
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
