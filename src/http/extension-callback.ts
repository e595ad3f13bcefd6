import type restify from "restify";
import type { Logger } from "../ports/logger";
import { isJson } from "./server";

/** The callback path; an approval extension's URL is `<PUBLIC_URL>/api/extensions/callback/<token>`. */
export const EXTENSION_CALLBACK_PATH = "/api/extensions/callback";

export interface CallbackRequest {
  token: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

export interface CallbackRouteOptions {
  /** Answers one callback (app/extensions/approval-callback.ts, wired by the composition root). */
  answer(input: CallbackRequest): Promise<{ status: number; body: unknown }>;
  logger: Logger;
}

const header = (req: restify.Request, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
};

/** Mounts `POST /api/extensions/callback/:token` on the bot's server (additive to its other routes). */
export function mountExtensionCallback(server: restify.Server, options: CallbackRouteOptions): void {
  // A wildcard, not `:token`: the router caps named parameters at 100 characters.
  server.post(`${EXTENSION_CALLBACK_PATH}/*`, async (req, res) => {
    if (!isJson(req.headers["content-type"])) {
      res.send(415, {
        error: { code: "UnsupportedMediaType", message: "Send JSON (Content-Type: application/json)." },
      });
      return;
    }
    // The signature covers the bytes as sent: the parser keeps them as rawBody.
    const raw = (req as restify.Request & { rawBody?: unknown }).rawBody;
    const body = typeof raw === "string" ? raw : Buffer.isBuffer(raw) ? raw.toString("utf8") : "";
    try {
      const answer = await options.answer({
        token: String((req.params as Record<string, unknown>)["*"] ?? ""),
        body,
        timestamp: header(req, "x-accessdesk-timestamp"),
        signature: header(req, "x-accessdesk-signature"),
      });
      res.send(answer.status, answer.body);
    } catch (error) {
      options.logger.error({ err: error }, "extension callback failed");
      res.send(500, {
        error: { code: "InternalError", message: "The callback could not be recorded; try again." },
      });
    }
  });
}
