import * as restify from "restify";
import type { AddressInfo } from "node:net";
import { handleConnector, type ConnectorDeps } from "./connector-routes";
import { listSentMessages } from "./sent-messages-route";
import { pathSegments, personalConversationId } from "./conversation-ids";
import { BadRequest, readJson, sendJson } from "./http-util";
import { createDriver, type LocalChannelDriver } from "./driver";
import { createIdentityProvider, type LocalIdentityProvider } from "./identity-provider";
import { mountPage, type PageServer } from "./page-routes";
import { guardProblem, hostProblem } from "./request-guard";
import { ChannelStore } from "./store";
import type { LocalChannelOptions, Persona } from "./types";

export interface LocalChannel extends LocalChannelDriver {
  /** The base URL the bot calls (its activities' serviceUrl). Derived from the server unless set. */
  serviceUrl: string;
  /** Where the bot listens; settable once the bot's server is up. */
  botEndpoint: string;
  readonly basePath: string;
  readonly personas: Persona[];
  readonly store: ChannelStore;
  /** The loopback OpenID provider that signs simulated step-up sign-ins for the personas. */
  readonly identity: LocalIdentityProvider;
  /** Serves the connector routes, the chat page, its assets, API and event stream on `server`. */
  mount(server: restify.Server): void;
  /** A standalone server on 127.0.0.1 with a free port; returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A local Bot Framework channel shaped like Microsoft Teams: the Bot Connector routes a bot calls at
 * its serviceUrl, in-memory conversations, and a driver that sends the bot Teams-shaped activities.
 * Nothing is mounted or started until `mount` or `listen` is called.
 */
export function createLocalChannel(opts: LocalChannelOptions): LocalChannel {
  const basePath = (opts.basePath ?? "/local-channel").replace(/\/+$/, "");
  const personas = [...(opts.personas ?? [])];
  const tenantId = opts.tenantId ?? "00000000-0000-0000-0000-00000000a11d";
  const store = new ChannelStore();
  const now = () => opts.hooks?.now?.() ?? new Date().toISOString();
  let explicitServiceUrl: string | undefined;
  let mounted: restify.Server | undefined;
  let own: restify.Server | undefined;
  let page: PageServer | undefined;

  const deps: ConnectorDeps = {
    store,
    tenantId,
    now,
    personas: () => personas,
    persona: (id) => personas.find((p) => p.id === id),
  };

  const channel = {} as LocalChannel;
  const serviceUrl = (): string => {
    if (explicitServiceUrl) return explicitServiceUrl;
    const address = mounted?.server.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("The local channel is not listening yet: call listen() or set serviceUrl");
    return `http://127.0.0.1:${address.port}${basePath}`;
  };
  const identity = createIdentityProvider({
    serviceUrl,
    basePath,
    tenantId,
    now,
    persona: deps.persona,
  });
  const driver = createDriver({
    store,
    deps,
    serviceUrl,
    botEndpoint: () => channel.botEndpoint,
    conversationOf: personalConversationId,
    identity,
  });

  const connectorHandler = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const refused = guardProblem(req, "api");
    if (refused) {
      const code = refused.status === 415 ? "UnsupportedMediaType" : "Forbidden";
      return sendJson(res, refused.status, { error: { code, message: refused.message } });
    }
    const segments = pathSegments(req.url ?? "", `${basePath}/v3`);
    if (!segments) return sendJson(res, 404, { error: { code: "NotFound", message: "No such route" } });
    try {
      const body = req.method === "GET" || req.method === "DELETE" ? undefined : await readJson(req);
      const reply = handleConnector(deps, req.method ?? "GET", segments, body);
      sendJson(res, reply.status, reply.body);
    } catch (e) {
      const status = e instanceof BadRequest ? 400 : 500;
      sendJson(res, status, {
        error: { code: status === 400 ? "BadArgument" : "ServiceError", message: String(e) },
      });
    }
  };

  // What the bot posted, read as Graph reads a chat: loopback and same-origin only, like the connector.
  const sentMessagesHandler = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const refused = guardProblem(req, "api");
    if (refused)
      return sendJson(res, refused.status, { error: { code: "Forbidden", message: refused.message } });
    const segments = pathSegments(req.url ?? "", `${basePath}/messages`);
    if (!segments) return sendJson(res, 404, { error: { code: "NotFound", message: "No such route" } });
    const reply = listSentMessages(store, segments, (req.url ?? "").split("?")[1] ?? "");
    sendJson(res, reply.status, reply.body);
  };

  Object.assign(channel, driver, {
    botEndpoint: opts.botEndpoint,
    basePath,
    personas,
    store,
    identity,
    mount(server: restify.Server) {
      if (mounted) throw new Error("The local channel is already mounted");
      mounted = server;
      // A server that carries the local channel is a developer's server: it answers only at a
      // loopback name (the bot's /api/messages too), so a DNS name rebound to 127.0.0.1 gets nothing.
      server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
        const refused = hostProblem(req);
        if (!refused) return next();
        sendJson(res, refused.status, { error: { code: "Forbidden", message: refused.message } });
        return next(false);
      });
      const route = `${basePath}/v3/*`;
      server.get(route, connectorHandler);
      server.post(route, connectorHandler);
      server.put(route, connectorHandler);
      server.del(route, connectorHandler);
      server.get(`${basePath}/messages/*`, sentMessagesHandler);
      identity.mount(server);
      const pagePath = opts.pagePath ?? "/chat";
      page = mountPage(server, { basePath, pagePath, store, driver, personas, hooks: opts.hooks ?? {} });
    },
    async listen() {
      own = restify.createServer({ name: "local-channel", handleUncaughtExceptions: false });
      channel.mount(own);
      await new Promise<void>((resolve) => own!.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(own.server.address() as AddressInfo).port}`;
    },
    async close() {
      page?.close();
      if (own) {
        const server = own;
        own = undefined;
        server.server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  });
  Object.defineProperty(channel, "serviceUrl", {
    get: serviceUrl,
    set: (value: string) => (explicitServiceUrl = value.replace(/\/+$/, "")),
    enumerable: true,
  });
  return channel;
}
