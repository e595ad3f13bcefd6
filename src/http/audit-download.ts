import type restify from "restify";
import type { DomainError } from "../domain/errors";
import type { Result } from "../domain/result";
import type { Logger } from "../ports/logger";

/** Spends a signed link: the CSV, or why not (src/app/admin/audit-link.ts). */
export type AuditDownload = (
  token: string,
) => Promise<Result<{ csv: string; filename: string }, DomainError>>;

/**
 * `GET /audit/download?t=<token>`: the audit CSV a signed link names. The answer is never cached and
 * sends no referrer, so the link does not linger in a proxy or leak to another site; a refused link
 * gets 403 with the reason in plain text.
 */
export function mountAuditDownload(server: restify.Server, download: AuditDownload, logger: Logger): void {
  // The token rides in the query: it is longer than a route parameter may be (100 characters).
  server.get("/audit/download", async (req: restify.Request, res: restify.Response) => {
    res.header("Cache-Control", "no-store");
    res.header("Referrer-Policy", "no-referrer");
    res.header("X-Content-Type-Options", "nosniff");
    const query = (req.query ?? {}) as Record<string, unknown>;
    const token = typeof query.t === "string" ? query.t : "";
    try {
      const answer = await download(token);
      if (!answer.ok) {
        res.header("Content-Type", "text/plain; charset=utf-8");
        res.sendRaw(403, `${answer.error.message}\n`);
        return;
      }
      res.header("Content-Type", "text/csv; charset=utf-8");
      res.header("Content-Disposition", `attachment; filename="${answer.value.filename}"`);
      res.sendRaw(200, answer.value.csv);
    } catch (error) {
      logger.error({ err: error }, "audit download failed");
      res.header("Content-Type", "text/plain; charset=utf-8");
      res.sendRaw(500, "The download failed; see the bot's log.\n");
    }
  });
}
