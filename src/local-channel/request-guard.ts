import type { Request } from "restify";

/**
 * The local channel speaks as any person and moves the clock, with no sign-in: only this machine's
 * own tools and the page served from it may drive it. Any website the developer visits could
 * otherwise post to it (a form or a `text/plain` fetch needs no CORS preflight), and a DNS name
 * rebound to 127.0.0.1 would make the page's origin the attacker's.
 *
 * - Every route answers only when `Host` is a loopback name (127.0.0.1, localhost, [::1]) with the
 *   port the request arrived on.
 * - The API and the connector refuse a request that a browser labels cross-site, or whose Origin
 *   is not the page's own; a caller that sends no Origin (the bot, a test, curl) is not a browser.
 * - Their writes take `Content-Type: application/json` only, which a cross-origin page cannot send
 *   without a preflight that this server never approves.
 */
export type RouteKind = "page" | "api";

export interface GuardRefusal {
  status: 403 | 415;
  message: string;
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);
const WRITES = new Set(["POST", "PUT", "PATCH"]);
const SAME_SITE_FETCH = new Set(["same-origin", "none"]);

/** The Content-Security-Policy of the page: its own scripts and styles only, never in a frame. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const PAGE_HEADERS: Record<string, string> = {
  "Content-Security-Policy": PAGE_CSP,
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
};

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Whether `host` names this machine's loopback interface on `port` (no port means 80). */
export function isLoopbackHost(host: string | undefined, port: number | undefined): boolean {
  if (!host || port === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  if (!match || !LOOPBACK_NAMES.has(match[1]!)) return false;
  return (match[2] === undefined ? 80 : Number(match[2])) === port;
}

/** Refuses a request whose Host is not a loopback name with the port it arrived on. */
export function hostProblem(req: Request): GuardRefusal | undefined {
  if (isLoopbackHost(header(req, "host"), req.socket?.localPort)) return undefined;
  return {
    status: 403,
    message: "This local server answers only at 127.0.0.1, localhost or [::1] with its own port.",
  };
}

/** Why this request may not use a local-channel route, or undefined when it may. */
export function guardProblem(req: Request, kind: RouteKind): GuardRefusal | undefined {
  const refused = hostProblem(req);
  if (refused) return refused;
  if (kind === "page") return undefined;
  const host = header(req, "host")!;
  if (WRITES.has(req.method ?? "")) {
    const type = (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      return { status: 415, message: "Send the body as Content-Type: application/json." };
    }
  }
  const site = header(req, "sec-fetch-site");
  const origin = header(req, "origin");
  if (
    (site !== undefined && !SAME_SITE_FETCH.has(site)) ||
    (origin !== undefined && origin.toLowerCase() !== `http://${host.trim().toLowerCase()}`)
  ) {
    return { status: 403, message: "The local channel accepts calls from its own page's origin only." };
  }
  return undefined;
}
