/**
 * The whole Access Desk in local mode for browser tests: Azurite in memory, the real bot, the demo
 * organisation and governance files, the local chat page at `/chat`.
 */
import { startAzurite } from "../../support/azurite";
import { startLocalDesk, type LocalDesk } from "../../support/desk";

export interface DeskUnderTest {
  app: LocalDesk;
  /** The chat page's address. */
  chatUrl: string;
  stop(): Promise<void>;
}

/** `env` adds settings, e.g. `APPROVAL_DIGEST_THRESHOLD` for when approval cards become a digest. */
export async function startDeskForBrowser(env: Record<string, string> = {}): Promise<DeskUnderTest> {
  const azurite = await startAzurite({ inMemory: true });
  try {
    const app = await startLocalDesk(azurite, env);
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
