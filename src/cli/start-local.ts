/**
 * `npm start`: local mode with everything it needs. Starts Azurite from node_modules (or reuses one
 * already answering on 127.0.0.1:10002), loads the demo organisation and governance files, serves
 * the bot and the local chat page, and says where to go next.
 */
import "../dev/packages-without-source-maps"; // first: see there
import path from "node:path";
import { ConfigError, loadConfig } from "../config";
import { DEFAULT_TABLE_PORT, devConnectionString, isTableEndpointUp, startAzurite } from "../dev/azurite";
import { startAccessDesk } from "../main";

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode !== "local") {
    throw new Error("npm start runs local mode; for production build and run `npm run start:prod`.");
  }
  let stopAzurite: (() => Promise<void>) | undefined;
  if (config.storage.embeddedAzurite) {
    if (await isTableEndpointUp(DEFAULT_TABLE_PORT)) {
      console.log(`Using the Azurite already running on 127.0.0.1:${DEFAULT_TABLE_PORT}.`);
    } else {
      const location = path.resolve(config.storage.dataDir, "azurite");
      const azurite = await startAzurite({ location, port: DEFAULT_TABLE_PORT });
      stopAzurite = azurite.stop;
      console.log(`Started Azurite on 127.0.0.1:${azurite.port} (data in ${location}).`);
    }
    config.storage.connectionString = devConnectionString(DEFAULT_TABLE_PORT);
  }

  const app = await startAccessDesk(config).catch(async (error: NodeJS.ErrnoException) => {
    await stopAzurite?.();
    if (error.code !== "EADDRINUSE") throw error;
    throw new Error(
      `Port ${config.port} is already in use: is Access Desk already running? ` +
        "Stop it, or start this one on another port: PORT=3979 npm start",
    );
  });
  console.log(
    [
      "",
      "Access Desk is running in local mode.",
      `  Chat page:     ${app.url}/chat   <- open this to try it as the demo people`,
      `  Bot endpoint:  ${app.url}/api/messages (no token check in local mode)`,
      `  Health:        ${app.url}/healthz  ${app.url}/readyz`,
      'Try, as Fred: "I need access to Business Analyst". Press Ctrl+C to stop.',
      "",
    ].join("\n"),
  );

  const shutdown = async () => {
    await app.stop();
    await stopAzurite?.();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
