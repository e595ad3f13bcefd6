import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { answerApprovalCallback, extensionHandlers } from "../../src/app/extensions";
import { effectsHandlers } from "../../src/app/notify/effects-handler";
import { requestDeadlineHandlers } from "../../src/app/handle-request-deadline";
import { buildExtensionPorts } from "../../src/composition/extensions";
import type { CustomExtension } from "../../src/domain/extensions/model";
import { mountExtensionCallback } from "../../src/http/extension-callback";
import { createHttpServer, listen } from "../../src/http/server";
import { createLocalChannel } from "../../src/local-channel";
import { createScheduler, mergeHandlers } from "../../src/scheduler";
import { FixtureDirectory, USERS, governanceFixture } from "../bot/fixtures/organization";
import type { HttpHarness } from "../bot/support/harness";
import { memoryStores } from "../support/stores";
import { buildBotWorld } from "../support/world";

export const SECRET = "test-secret-0123456789abcdef";
export const CALLBACK_KEY = "callback-key-0123456789abcdef-0123456789";

/** One request the loopback receiver got: headers as sent, body as bytes (a string). */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

/** The parts of a webhook body and of a callback's answer the tests read. */
export interface Payload {
  id: string;
  type: string;
  request: { id: string; justification: string };
  accessPackage: { id: string };
  catalog: { id: string };
  people: { target: { id: string; displayName: string } };
  stage: { number: number };
  callback: { url: string };
}
export interface CallbackReply {
  outcome?: string;
  error: { code: string };
}

/** What the receiver does with the next request: answer a status, or never answer (a hang). */
export type Behaviour = number | "hang";

/** A real HTTP server on 127.0.0.1 standing for the external system. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Answers to give, in order; once used up, 200. */
  script: Behaviour[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const script: Behaviour[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown> });
      const next = script.shift() ?? 200;
      if (next === "hang") return; // no answer: the caller's timeout must end it
      res.writeHead(next, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    script,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The signature a receiver computes to check a call (or a caller to sign a callback). */
export const sign = (timestamp: string, body: string, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

export interface ExtensionDesk extends HttpHarness {
  /** One scheduler sweep: runs what is due by the world's clock. */
  sweep(): Promise<void>;
}

/**
 * The bot over HTTP (restify on loopback, the local Teams-shaped channel) with custom extensions
 * wired as src/main.ts wires them, the callback route mounted on the bot's server, and the fixture
 * catalog declaring `extension` (the approval extension of stage 1 when `approvalStage1`).
 */
export async function startExtensionDesk(
  extension: CustomExtension,
  options: { approvalStage1?: boolean } = {},
): Promise<ExtensionDesk> {
  const governance = governanceFixture();
  governance.catalogs = governance.catalogs.map((c) =>
    c.id === "cat-finance" ? { ...c, extensions: [extension] } : c,
  );
  if (options.approvalStage1) {
    const policy = governance.policies.find((p) => p.id === "pol-ba")!;
    policy.approval.stages[0] = { ...policy.approval.stages[0]!, extensionApprover: extension.id };
  }
  const personas = USERS.map((u) => ({ id: u.id, displayName: u.displayName, role: "user" }));
  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages", personas });
  await channel.listen();
  const world = buildBotWorld({
    stores: memoryStores(governance),
    directory: new FixtureDirectory(),
    bot: { serviceUrl: channel.serviceUrl },
  });
  const deps = world.bot.deps;
  const server = createHttpServer({
    handleMessages: world.bot.handleMessages,
    ready: async () => true,
    logger: silentLogger,
    mount: (s) =>
      mountExtensionCallback(s, {
        answer: (input) => answerApprovalCallback(deps, input),
        logger: silentLogger,
      }),
  });
  const url = await listen(server, 0, "127.0.0.1");
  const now = () => world.clock.now().getTime() / 1000;
  deps.extensions = buildExtensionPorts(
    {
      mode: "local",
      publicUrl: url,
      extensions: { secrets: { TICKETING: SECRET }, callbackKey: CALLBACK_KEY },
    },
    { now },
  );
  channel.botEndpoint = `${url}/api/messages`;
  const scheduler = createScheduler({
    deps,
    leases: world.stores.leases,
    handlers: mergeHandlers(requestDeadlineHandlers, effectsHandlers, extensionHandlers),
    instanceId: "test",
    logger: silentLogger,
  });
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await world.bot.events.drain();
    }
  };
  return {
    ...world,
    url,
    endpoint: `${url}/api/messages`,
    botUrl: url,
    channel,
    settle,
    async sweep() {
      await scheduler.sweepOnce();
      await settle();
    },
    async close() {
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await channel.close();
    },
  };
}

export const ticketing = (url: string, overrides: Partial<CustomExtension> = {}): CustomExtension => ({
  id: "ticketing",
  url,
  secretName: "TICKETING",
  stages: ["requestCreated"],
  removalScheduledDaysBefore: 7,
  timeoutSeconds: 1,
  everyPolicy: true,
  ...overrides,
});
