import type { BotSettings } from "../../../src/composition/bot";
import { startBotWorld, type BotWorldOverHttp } from "../../support/over-http";
import { memoryStores } from "../../support/stores";
import { buildBotWorld, type BotWorld } from "../../support/world";
import { governanceFixture } from "../fixtures/organization";

export { START } from "../../support/world";
export { RecordingProvisioner } from "../../support/recording";

/** The bot on memory stores, the fixture organisation and governance, a fixed clock. */
export type Harness = BotWorld;

export async function createHarness(serviceUrl?: string): Promise<Harness> {
  return buildBotWorld({ stores: memoryStores(governanceFixture()), bot: { serviceUrl } });
}

export interface HttpHarness extends BotWorldOverHttp {
  /** The bot server's base URL (`${botUrl}/api/messages` is the endpoint). */
  botUrl: string;
}

/** The whole bot behind restify on loopback, driven by the local Teams-shaped channel. */
export async function startOverHttp(bot?: Partial<BotSettings>): Promise<HttpHarness> {
  const world = await startBotWorld({ stores: memoryStores(governanceFixture()), bot });
  return { ...world, botUrl: world.url };
}
