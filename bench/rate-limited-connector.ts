import http from "node:http";
import type { AddressInfo } from "node:net";
import { PACER_APP_LIMIT } from "../src/adapters/teams/pacing";

/** Teams' limits for a bot: per conversation (count per window) and per app. */
export const CONVERSATION_LIMITS = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
];
export const APP_LIMIT = { count: 50, windowMs: 1_000 };

/** Timestamps of accepted sends in a sliding window. */
class Window {
  private readonly times: number[] = [];
  constructor(private readonly limit: { count: number; windowMs: number }) {}
  /** Milliseconds until one more send fits (0 = now). */
  waitMs(now: number): number {
    while (this.times.length > 0 && now - this.times[0]! >= this.limit.windowMs) this.times.shift();
    if (this.times.length < this.limit.count) return 0;
    return this.times[this.times.length - this.limit.count]! + this.limit.windowMs - now;
  }
  add(now: number): void {
    this.times.push(now);
  }
}

export interface ConnectorOptions {
  /** Conversations whose calls are read and never answered (a hung chat); asked per call. */
  hangs?: (conversationId: string) => boolean;
  /** Told of every accepted send as its body has arrived. */
  onAccepted?: (conversationId: string, body: string) => void;
  /** Told of every 429: which limit it hit ("app", or the conversation window's length). */
  onThrottled?: (conversationId: string, limit: string) => void;
}

/**
 * A loopback Bot Connector that throttles like Teams: a send over any limit gets 429 with
 * Retry-After (whole seconds, rounded up). Accepted sends are only counted per marker `#R<n>#`
 * in the activity, so losses and duplicates show. A conversation `hangs` names takes the call and
 * never answers it (`held` counts those calls).
 */
export async function startRateLimitedConnector(options: ConnectorOptions = {}) {
  const app = new Window(APP_LIMIT);
  const conversations = new Map<string, Window[]>();
  const delivered = new Map<number, number>();
  const byConversation = new Map<string, number>();
  const held = new Map<string, number>();
  let accepted = 0;
  let throttled = 0;
  let firstAt = 0;
  let lastAt = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities\/?([^/]*)$/.exec(
        (req.url ?? "").split("?")[0]!,
      );
      if (req.method !== "POST" || !match) {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { code: "NotFound", message: `${req.method} ${req.url}` } }));
        return;
      }
      const conversationId = decodeURIComponent(match[1]!);
      if (options.hangs?.(conversationId)) {
        held.set(conversationId, (held.get(conversationId) ?? 0) + 1);
        return;
      }
      const now = Date.now();
      const windows = conversations.get(conversationId) ?? CONVERSATION_LIMITS.map((l) => new Window(l));
      conversations.set(conversationId, windows);
      const waitMs = Math.max(app.waitMs(now), ...windows.map((w) => w.waitMs(now)));
      if (waitMs > 0) {
        throttled += 1;
        if (options.onThrottled) {
          const hit = windows.findIndex((w) => w.waitMs(now) === waitMs);
          options.onThrottled(conversationId, hit < 0 ? "app" : `${CONVERSATION_LIMITS[hit]!.windowMs} ms`);
        }
        res.writeHead(429, {
          "Content-Type": "application/json",
          "Retry-After": String(Math.ceil(waitMs / 1000)),
        });
        res.end(JSON.stringify({ error: { code: "TooManyRequests", message: "Throttled" } }));
        return;
      }
      app.add(now);
      windows.forEach((w) => w.add(now));
      accepted += 1;
      firstAt ||= now;
      lastAt = now;
      const body = Buffer.concat(chunks).toString("utf8");
      options.onAccepted?.(conversationId, body);
      const marker = /#R(\d+)#/.exec(body)?.[1];
      if (marker !== undefined) delivered.set(Number(marker), (delivered.get(Number(marker)) ?? 0) + 1);
      byConversation.set(conversationId, (byConversation.get(conversationId) ?? 0) + 1);
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ id: `act-${accepted}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delivered,
    byConversation,
    held,
    stats: () => ({ accepted, throttled, firstAt, lastAt }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Achieved rate ÷ Teams' allowed rate for sends the connector accepted, and what a perfect pacer at
 * the pacer's own rate (PACER_APP_LIMIT) would score by the same measure. The measure counts the
 * last window as whole: N sends at exactly the limit span N / limit - 1 windows, plus that one.
 * At 48 a second a last window holding fewer than 48 lowers the best score (500 sends: 11 windows,
 * 90.9 %), so a shortfall is read against that best score.
 */
export function rateShares(stats: { accepted: number; firstAt: number; lastAt: number }) {
  const windowSeconds = APP_LIMIT.windowMs / 1000;
  const allowed = APP_LIMIT.count / windowSeconds;
  const span = Math.max(0.001, (stats.lastAt - stats.firstAt) / 1000);
  const rate = stats.accepted / (span + windowSeconds);
  const windows = Math.floor((stats.accepted - 1) / PACER_APP_LIMIT.count) + 1;
  const best = stats.accepted / (windows * (PACER_APP_LIMIT.windowMs / 1000));
  return { span, rate, allowed, share: rate / allowed, bestShare: best / allowed };
}
