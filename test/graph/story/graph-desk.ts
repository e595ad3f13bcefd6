/**
 * Access Desk in Graph mode as the composition root builds it (src/main.ts with DIRECTORY=graph,
 * GRAPH_SIGN_IN_ACTIVITY=on, TEAMS_APP_CATALOG_ID, BOT_SERVICE_URL), on Azurite, against the
 * loopback Graph server with a realistic tenant, talking to a Teams-shaped channel through a Bot
 * Connector that refuses a first message to anyone the app is not installed for (403), as Teams does.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { loadConfig } from "../../../src/config";
import { startAccessDesk, type RunningAccessDesk } from "../../../src/main";
import { createLocalChannel, type LocalChannel } from "../../../src/local-channel";
import { startAzurite, type RunningAzurite } from "../../support/azurite";
import { startLoopbackForwarder } from "../../support/loopback-forwarder";
import { freshTablePrefix } from "../../support/stores";
import { GraphTestServer } from "../support/graph-server";
import type { Tenant } from "../support/tenant";

export const CATALOG_APP_ID = "5f2a7c1e-0000-4000-8000-00000000a11d";
const REPO = path.resolve(__dirname, "..", "..", "..");

/**
 * A Bot Connector in front of the channel: opening a 1:1 chat with someone for whom the tenant has
 * no installation of the app answers 403, as Teams does; everything else goes through.
 */
async function startTeamsGate(target: () => string, tenant: Tenant) {
  const refusals: string[] = [];
  const gate = await startLoopbackForwarder(target, (req) => {
    if (req.method !== "POST" || !/\/v3\/conversations\/?$/.test(req.url)) return undefined;
    const members = (JSON.parse(req.body.toString("utf8") || "{}") as { members?: { id: string }[] }).members;
    const outsider = members?.find((m) => (tenant.installedApps.get(m.id)?.size ?? 0) === 0);
    if (!outsider) return undefined;
    refusals.push(outsider.id);
    return {
      status: 403,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        error: { code: "Forbidden", message: "The bot is not installed for the user." },
      }),
    };
  });
  return { ...gate, refusals };
}

export interface GraphDesk {
  app: RunningAccessDesk;
  channel: LocalChannel;
  graph: GraphTestServer;
  tenant: Tenant;
  /** People Teams refused a first message to (before the app was installed for them). */
  refusals: string[];
  /** The settings the desk runs with; `npm run governance` gets the same. */
  env: Record<string, string>;
  /** `npm run governance -- <args>` against the same tenant and storage: its exit code and output. */
  governance(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startGraphDesk(opts: {
  seed: (tenant: Tenant, now: number) => void;
  governanceDir: string;
}): Promise<GraphDesk> {
  const azurite: RunningAzurite = await startAzurite({ inMemory: true });
  const graph = new GraphTestServer();
  const graphUrl = await graph.start();
  opts.seed(graph.tenant, Date.now());
  const people = [...graph.tenant.users.values()].map((u) => ({
    id: u.id,
    displayName: u.displayName,
    role: "user",
  }));
  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages", personas: people });
  const channelUrl = await channel.listen();
  const gate = await startTeamsGate(() => channelUrl, graph.tenant);
  channel.serviceUrl = `${gate.url}/local-channel`;
  const env: Record<string, string> = {
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    STORAGE_TABLE_PREFIX: freshTablePrefix("story"),
    LOG_LEVEL: "silent",
    DIRECTORY: "graph",
    GRAPH_TENANT_ID: "00000000-0000-0000-0000-00000000a11d",
    GRAPH_CLIENT_ID: "access-desk",
    GRAPH_CLIENT_SECRET: "not-sent-over-plain-http",
    GRAPH_BASE_URL: graphUrl,
    GRAPH_SIGN_IN_ACTIVITY: "on",
    TEAMS_APP_CATALOG_ID: CATALOG_APP_ID,
    BOT_SERVICE_URL: channel.serviceUrl,
  };
  const app = await startAccessDesk(
    loadConfig({ ...env, PORT: "0", SCHEDULER_ENABLED: "false", GOVERNANCE_DIR: opts.governanceDir }),
  );
  channel.botEndpoint = `${app.url}/api/messages`;
  return {
    app,
    channel,
    graph,
    tenant: graph.tenant,
    refusals: gate.refusals,
    env,
    governance: (...args) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          ["--require", "tsx/cjs", "src/cli/governance.ts", ...args],
          { cwd: REPO, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 20_000 },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      }),
    async stop() {
      await app.stop();
      await channel.close();
      await gate.close();
      await graph.stop();
      await azurite.stop();
    },
  };
}
