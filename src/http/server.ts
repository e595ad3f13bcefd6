import { randomUUID } from "node:crypto";
import restify from "restify";
import type { ScopedLogger } from "../ports/logger";
import { type AuditDownload, mountAuditDownload } from "./audit-download";

export interface HttpServerOptions {
  /** Handles `POST /api/messages` (the bot's Bot Framework endpoint). */
  handleMessages(req: restify.Request, res: restify.Response): Promise<void>;
  /** Whether storage answers; `/readyz` reports it. */
  ready(): Promise<boolean>;
  /** Extra routes mounted by the composition root (the local chat page in local mode). */
  mount?: (server: restify.Server) => void;
  /** Each turn logs through a child with its correlation ids, made current for the turn. */
  logger: ScopedLogger;
  /** Largest accepted request body; a Teams activity is far smaller. */
  maxBodyBytes?: number;
  /** Serves signed audit CSV links at `GET /audit/download/:token` when given. */
  auditDownload?: AuditDownload;
}

/** The restify server: bot endpoint, liveness and readiness. Malformed requests get a 400, not a crash. */
export function createHttpServer(options: HttpServerOptions): restify.Server {
  const server = restify.createServer({ name: "access-desk", handleUncaughtExceptions: false });
  server.use(
    restify.plugins.bodyParser({ maxBodySize: options.maxBodyBytes ?? 256 * 1024, mapParams: false }),
  );
  server.use(restify.plugins.queryParser({ mapParams: false }));

  server.get("/healthz", (_req, res, next) => {
    res.send(200, { status: "ok" });
    return next();
  });

  server.get("/readyz", async (_req, res) => {
    // Storage clients retry for a while; readiness must answer fast, so a slow answer counts as down.
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref());
    const ready = await Promise.race([options.ready().catch(() => false), timeout]);
    res.send(ready ? 200 : 503, { status: ready ? "ready" : "storage unreachable" });
  });

  server.post("/api/messages", async (req, res) => {
    // The Bot Framework sends JSON. A web page can post a form or text/plain to any address without
    // asking first, and restify would parse a form into an object shaped like an activity.
    if (!isJson(req.headers["content-type"])) {
      options.logger.warn({ contentType: req.headers["content-type"] }, "rejected a non-JSON activity");
      res.send(415, {
        error: {
          code: "UnsupportedMediaType",
          message: "Send the activity as Content-Type: application/json.",
        },
      });
      return;
    }
    const problem = activityProblem(req.body);
    if (problem) {
      options.logger.warn({ problem }, "rejected a malformed activity");
      res.send(400, { error: { code: "BadRequest", message: problem } });
      return;
    }
    const activity = req.body as Record<string, unknown>;
    const turnLog = options.logger.child({
      turnId: randomUUID(),
      activityId: activity.id,
      activityType: activity.type,
      conversationId: (activity.conversation as Record<string, unknown>).id,
    });
    try {
      await options.logger.within(turnLog, () => options.handleMessages(req, res));
    } catch (error) {
      turnLog.error({ err: error }, "unhandled error while processing an activity");
      if (!res.headersSent)
        res.send(500, { error: { code: "InternalError", message: "The bot failed; see its log." } });
    }
  });

  if (options.auditDownload) mountAuditDownload(server, options.auditDownload, options.logger);
  options.mount?.(server);

  server.on(
    "restifyError",
    (req: restify.Request, _res: restify.Response, error: Error, callback: () => void) => {
      options.logger.warn({ path: req.path(), err: error.message }, "request failed");
      return callback();
    },
  );
  return server;
}

/** Whether a Content-Type header names JSON (`application/json`, parameters such as charset allowed). */
export function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/** The minimum a Bot Framework activity must carry before botbuilder sees it. */
export function activityProblem(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return "The body must be a JSON activity object.";
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== "string" || activity.type.length === 0) return "The activity has no type.";
  if (typeof activity.serviceUrl !== "string" || !/^https?:\/\//.test(activity.serviceUrl)) {
    return "The activity has no valid serviceUrl.";
  }
  const conversation = activity.conversation as Record<string, unknown> | undefined;
  if (typeof conversation?.id !== "string") return "The activity has no conversation id.";
  const from = activity.from as Record<string, unknown> | undefined;
  if (typeof from?.id !== "string") return "The activity has no sender (from.id).";
  return undefined;
}

export function listen(server: restify.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(`http://${host}:${address.port}`);
    });
  });
}
