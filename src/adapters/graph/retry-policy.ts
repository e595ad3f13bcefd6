/**
 * When and how long to wait before asking Graph again. One policy serves single requests and
 * `$batch` items, so a throttled item and a throttled batch obey the same budget.
 */
export interface RetryOptions {
  /** Retries per request or batch item after the first attempt. */
  maxRetries: number;
  /** First backoff step for 5xx and timeouts; doubles each retry, with jitter. */
  baseDelayMs: number;
  /** Cap for one backoff step (not for Retry-After, which Graph dictates). */
  maxDelayMs: number;
  /** Total time one call (a read or one `apply`) may spend, waits included. */
  maxElapsedMs: number;
  /** A request that has not answered by then counts as a timeout (retryable). */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 120_000,
  requestTimeoutMs: 30_000,
};

/** Time and chance, injectable so tests run fast yet can check every requested wait. */
export interface RetryRuntime {
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

export const realRuntime: RetryRuntime = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

/** Status 0 stands for "no HTTP answer" (network error or timeout). */
export const NO_RESPONSE = 0;

export function isRetryableStatus(status: number): boolean {
  return (
    status === NO_RESPONSE ||
    status === 429 ||
    status === 500 ||
    status === 502 ||
    status === 503 ||
    status === 504
  );
}

/** Retry-After in ms, from delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so a herd spreads out. */
export function backoffDelay(retry: number, opts: RetryOptions, random: () => number): number {
  const step = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry);
  return Math.round(step / 2 + (step / 2) * random());
}

/** The wait before the next try: Graph's Retry-After when it sent one, else backoff. */
export function delayFor(
  retry: number,
  retryAfterMs: number | undefined,
  opts: RetryOptions,
  random: () => number,
): number {
  return retryAfterMs ?? backoffDelay(retry, opts, random);
}

export function resolveRetryOptions(partial?: Partial<RetryOptions>): RetryOptions {
  return { ...DEFAULT_RETRY_OPTIONS, ...partial };
}
