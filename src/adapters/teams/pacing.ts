/**
 * Teams throttles a bot per conversation (7 messages per second, 60 per 30 s). Sends to one
 * conversation go through a queue that keeps under those rates, and a 429 waits for its
 * Retry-After before trying again.
 */
export interface PacingOptions {
  /** Sends allowed per window per conversation. */
  perWindow: number;
  windowMs: number;
  /** Attempts after a 429 or 503 (botbuilder's own retries come on top). */
  retries: number;
  /** Longest wait honoured for one Retry-After. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

const DEFAULTS: PacingOptions = {
  perWindow: 6,
  windowMs: 1000,
  retries: 3,
  maxRetryAfterMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/** The wait a throttled call asks for: Retry-After seconds, else a backoff with jitter. */
export function retryDelayMs(error: unknown, attempt: number, maxMs: number): number | undefined {
  const e = error as {
    statusCode?: number;
    response?: { headers?: { get?(n: string): string | undefined } };
  };
  if (e?.statusCode !== 429 && e?.statusCode !== 503) return undefined;
  const header = e.response?.headers?.get?.("retry-after");
  const seconds = header !== undefined ? Number(header) : NaN;
  const base = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 500 * 2 ** attempt;
  return Math.min(maxMs, base + Math.floor(Math.random() * 100));
}

export class ConversationPacer {
  private readonly options: PacingOptions;
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: Partial<PacingOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Runs `send` in the conversation's turn, after the rate allows it, retrying throttled attempts. */
  run<T>(conversationId: string, send: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(
      () => this.paced(conversationId, send),
      () => this.paced(conversationId, send),
    );
    const tail = next.catch(() => undefined);
    this.queues.set(conversationId, tail);
    void tail.then(() => {
      if (this.queues.get(conversationId) === tail) this.queues.delete(conversationId);
    });
    return next;
  }

  private async paced<T>(conversationId: string, send: () => Promise<T>): Promise<T> {
    const { perWindow, windowMs, retries, maxRetryAfterMs, sleep, now } = this.options;
    for (let attempt = 0; ; attempt++) {
      const recent = (this.sent.get(conversationId) ?? []).filter((t) => now() - t < windowMs);
      if (recent.length >= perWindow) await sleep(recent[0]! + windowMs - now());
      recent.push(now());
      this.sent.set(conversationId, recent.slice(-perWindow));
      try {
        return await send();
      } catch (error) {
        const delay = attempt < retries ? retryDelayMs(error, attempt, maxRetryAfterMs) : undefined;
        if (delay === undefined) throw error;
        await sleep(delay);
      }
    }
  }
}
