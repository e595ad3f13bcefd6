/**
 * The whole Access Desk in local mode for browser tests: Azurite in memory, the real bot, the demo
 * organisation and governance files, the local chat page at `/chat`.
 */
import { loadConfig } from "../../../src/config";
import { startAzurite, type RunningAzurite } from "../../../src/dev/azurite";
import { startAccessDesk, type RunningAccessDesk } from "../../../src/main";

export interface DeskUnderTest {
  app: RunningAccessDesk;
  /** The chat page's address. */
  chatUrl: string;
  stop(): Promise<void>;
}

export async function startDeskForBrowser(): Promise<DeskUnderTest> {
  const azurite: RunningAzurite = await startAzurite({ inMemory: true });
  try {
    const config = loadConfig({
      PORT: "0",
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      LOG_LEVEL: "silent",
      SCHEDULER_ENABLED: "false",
    });
    const app = await startAccessDesk(config);
    return {
      app,
      chatUrl: `${app.url}/chat`,
      async stop() {
        await app.stop();
        await azurite.stop();
      },
    };
  } catch (error) {
    await azurite.stop();
    throw error;
  }
}
