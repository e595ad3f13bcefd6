import { startLoopbackForwarder } from "../test/support/loopback-forwarder";
import { APP_LIMIT, CONVERSATION_LIMITS } from "./rate-limited-connector";

/** Calls into one conversation, accepted or refused with 429. */
export interface ConversationCalls {
  accepted: number[];
  throttled: number;
}

/** The most calls that fell within any `windowMs` (times sorted ascending). */
export function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/**
 * A Bot Connector front that throttles like Teams (the limits of ./rate-limited-connector.ts:
 * 7/1 s, 8/2 s and 60/30 s per conversation, 50/s per app; over any of them a 429 with
 * Retry-After) and forwards every accepted call to the real connector behind it (the local
 * channel), so the chat shows what Teams would. Sends (POST) and card updates (PUT) into a
 * conversation are counted; other calls pass through uncounted.
 */
export async function startThrottlingForwarder(target: string) {
  const calls = new Map<string, ConversationCalls>();
  const appTimes: number[] = [];
  const windows = new Map<string, number[]>();
  const waitMs = (times: number[], limits: Array<{ count: number; windowMs: number }>, now: number) => {
    let wait = 0;
    for (const { count, windowMs } of limits) {
      const inWindow = times.filter((t) => now - t < windowMs);
      if (inWindow.length >= count)
        wait = Math.max(wait, inWindow[inWindow.length - count]! + windowMs - now);
    }
    return wait;
  };
  const forwarder = await startLoopbackForwarder(target, ({ method, path }) => {
    const match = /\/v3\/conversations\/([^/]+)\/activities(\/[^/]+)?\/?$/.exec(path);
    if (!match || (method !== "POST" && method !== "PUT")) return undefined;
    const conversationId = decodeURIComponent(match[1]!);
    const mine = windows.get(conversationId) ?? [];
    windows.set(conversationId, mine);
    const record = calls.get(conversationId) ?? { accepted: [], throttled: 0 };
    calls.set(conversationId, record);
    const now = Date.now();
    const wait = Math.max(waitMs(mine, CONVERSATION_LIMITS, now), waitMs(appTimes, [APP_LIMIT], now));
    if (wait > 0) {
      record.throttled += 1;
      return {
        status: 429,
        headers: { "Content-Type": "application/json", "Retry-After": String(Math.ceil(wait / 1000)) },
        body: JSON.stringify({ error: { code: "TooManyRequests", message: "Throttled" } }),
      };
    }
    mine.push(now);
    appTimes.push(now);
    record.accepted.push(now);
    // Only the last 30 s matter for the limits.
    while (mine.length > 0 && now - mine[0]! >= 30_000) mine.shift();
    while (appTimes.length > 0 && now - appTimes[0]! >= 1_000) appTimes.shift();
    return undefined;
  });
  return { url: forwarder.url, calls, close: forwarder.close };
}
