/**
 * The whole Access Desk as `npm start` runs it, through the composition root itself (src/main.ts):
 * the demo organisation and governance files, the real bot, the local chat page and its channel, a
 * clock the page moves. For tests of what that root wires; the scheduler sweeps only when told.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config";
import type { LocalChannel } from "../../src/local-channel";
import { startAccessDesk, type RunningAccessDesk } from "../../src/main";
import type { RunningAzurite } from "./azurite";
import { freshTablePrefix } from "./stores";

export type LocalDesk = RunningAccessDesk & { localChannel: LocalChannel };

/** On tables of its own in `azurite`, so test files can share one; `env` adds settings (GOVERNANCE_DIR). */
export async function startLocalDesk(
  azurite: RunningAzurite,
  env: Record<string, string> = {},
): Promise<LocalDesk> {
  const config = loadConfig({
    PORT: "0",
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    STORAGE_TABLE_PREFIX: freshTablePrefix("desk"),
    SCHEDULER_ENABLED: "false",
    LOG_LEVEL: "silent",
    ...env,
  });
  const app = await startAccessDesk(config);
  const { localChannel } = app;
  assert.ok(localChannel, "local mode has the local channel");
  return { ...app, localChannel };
}
