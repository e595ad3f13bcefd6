import * as fs from "node:fs";
import * as path from "node:path";
import type * as restify from "restify";
import type { LocalChannelDriver } from "./driver";
import { readJson, sendFile, sendJson } from "./http-util";
import { PAGE_HEADERS, type RouteKind, guardProblem } from "./request-guard";
import { messageView } from "./page-view";
import type { ChannelEvent, ChannelStore } from "./store";
import type { LocalChannelHooks, Persona } from "./types";

export interface PageDeps {
  basePath: string;
  pagePath: string;
  store: ChannelStore;
  driver: LocalChannelDriver;
  personas: Persona[];
  hooks: LocalChannelHooks;
}

export interface PageServer {
  close(): void;
}

const WEB_DIR = path.join(__dirname, "web");
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

/** Only these files are served: no path from the URL ever reaches the file system. */
function assetPath(name: string): string | undefined {
  if (name === "adaptivecards.min.js") {
    return path.join(path.dirname(require.resolve("adaptivecards/package.json")), "dist", name);
  }
  const allowed = [
    "app.js",
    "api.js",
    "cards.js",
    "markdown.js",
    "views.js",
    "sign-in.js",
    "styles.css",
    "messages.css",
  ];
  return allowed.includes(name) ? path.join(WEB_DIR, name) : undefined;
}

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

function query(req: restify.Request, name: string): string {
  return new URL(req.url ?? "/", "http://local").searchParams.get(name) ?? "";
}

/** Serves the chat page, its assets, a JSON API over the driver and a server-sent event stream. */
export function mountPage(server: restify.Server, deps: PageDeps): PageServer {
  const { basePath, store, driver, hooks } = deps;
  const api = `${basePath}/api`;
  const streams = new Set<restify.Response>();
  const now = () => hooks.now?.() ?? new Date().toISOString();
  /** Refuses what the request guard refuses, then turns a failure into a JSON error. */
  const safe =
    (h: Handler, kind: RouteKind = "api"): Handler =>
    async (req, res) => {
      const refused = guardProblem(req, kind);
      if (refused) return sendJson(res, refused.status, { error: refused.message });
      try {
        await h(req, res);
      } catch (e) {
        if (!res.headersSent) sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
      }
    };

  server.get(
    deps.pagePath,
    safe(async (_req, res) => {
      const html = await fs.promises.readFile(path.join(WEB_DIR, "index.html"), "utf8");
      sendFile(res, TYPES[".html"]!, html.replaceAll("%BASE%", basePath), PAGE_HEADERS);
    }, "page"),
  );
  server.get(
    `${basePath}/web/:file`,
    safe(async (req, res) => {
      const file = assetPath(String(req.params.file ?? ""));
      if (!file) return sendJson(res, 404, { error: "No such asset" });
      sendFile(
        res,
        TYPES[path.extname(file)] ?? "application/octet-stream",
        await fs.promises.readFile(file),
      );
    }, "page"),
  );

  server.get(
    `${api}/state`,
    safe(async (_req, res) => {
      const personas = deps.personas.map((p) => {
        const conversationId = driver.conversationOf(p.id);
        return {
          ...p,
          conversationId,
          installed: store.isInstalled(p.id),
          removedApp: store.hasRemoved(p.id),
          unread: store.unread(conversationId),
        };
      });
      const teams = store.teams().map((t) => ({
        ...t,
        channels: t.channels.map((c) => ({ ...c, unread: store.unread(c.id) })),
      }));
      sendJson(res, 200, { personas, teams, clock: { now: now(), canAdvance: !!hooks.advanceClock } });
    }),
  );
  server.get(
    `${api}/transcript`,
    safe(async (req, res) => {
      const conversationId = query(req, "conversationId");
      const viewer = query(req, "viewer");
      store.markRead(conversationId);
      const messages = driver.transcript(conversationId).map((a) => messageView(a, viewer, deps.personas));
      sendJson(res, 200, { conversationId, messages });
    }),
  );
  server.get(
    `${api}/groups`,
    safe(async (req, res) => {
      if (!hooks.userGroups) return sendJson(res, 200, { available: false, groups: [] });
      sendJson(res, 200, { available: true, groups: await hooks.userGroups(query(req, "userId")) });
    }),
  );
  const post = (route: string, h: (body: Record<string, unknown>) => Promise<unknown>) =>
    server.post(
      `${api}/${route}`,
      safe(async (req, res) => {
        const body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
        sendJson(res, 200, await h(body));
      }),
    );
  post("say", (b) => driver.say(String(b.userId), String(b.text ?? "")));
  post("install", (b) => driver.install(String(b.userId)));
  server.post(
    `${api}/remove-app`,
    safe(async (req, res) => {
      const b = ((await readJson(req)) ?? {}) as Record<string, unknown>;
      const userId = String(b.userId ?? "");
      if (!deps.personas.some((p) => p.id === userId))
        return sendJson(res, 400, { error: "Name one of the people on this page (userId)." });
      driver.removeApp(userId);
      sendJson(res, 200, { userId, removedApp: true });
    }),
  );
  post("invoke", (b) =>
    driver.invoke(
      String(b.userId),
      String(b.activityId),
      String(b.verb ?? ""),
      b.data ?? {},
      b.trigger === "automatic" ? "automatic" : "manual",
    ),
  );
  // The page's sign-in dialog: the channel's identity provider signs for the persona and the
  // click that asked for a sign-in is sent again with the token, as Teams does.
  server.post(
    `${api}/signin`,
    safe(async (req, res) => {
      const b = ((await readJson(req)) ?? {}) as Record<string, unknown>;
      const userId = String(b.userId ?? "");
      if (!deps.personas.some((p) => p.id === userId))
        return sendJson(res, 400, { error: "Sign in as one of the people on this page." });
      if (typeof b.mfa !== "boolean")
        return sendJson(res, 400, { error: "Say whether the sign-in used MFA (mfa: true or false)." });
      if (typeof b.activityId !== "string" || typeof b.verb !== "string" || b.verb === "")
        return sendJson(res, 400, {
          error: "Name the card (activityId) and the action (verb) to sign in for.",
        });
      sendJson(res, 200, await driver.signIn(userId, b.activityId, b.verb, b.data ?? {}, { mfa: b.mfa }));
    }),
  );
  post("clock/advance", async (b) => {
    if (!hooks.advanceClock) throw new Error("This channel has no clock to advance");
    const at = await hooks.advanceClock(Number(b.hours ?? 0));
    store.emit({ type: "clock", now: at });
    return { now: at };
  });

  // The handler settles when the page goes away, so restify sees the stream as one long request.
  server.get(`${api}/events`, async (req: restify.Request, res: restify.Response) => {
    const refused = guardProblem(req, "api");
    if (refused) return sendJson(res, refused.status, { error: refused.message });
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    });
    res.write("retry: 1000\n\n");
    streams.add(res);
    await new Promise<void>((resolve) => {
      req.on("close", resolve);
      res.on("close", resolve);
    });
    streams.delete(res);
  });
  const send = (event: ChannelEvent) => {
    for (const res of streams) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  const off = store.onEvent(send);
  // Comments keep idle streams open through proxies.
  const ping = setInterval(() => streams.forEach((res) => res.write(": ping\n\n")), 15000);
  ping.unref();

  return {
    close() {
      off();
      clearInterval(ping);
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
