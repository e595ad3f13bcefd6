/** How outbound webhook calls are retried: 1 minute doubling to at most an hour, 6 attempts in all. */
export const WEBHOOK_RETRY = { attempts: 6, firstDelayMs: 60_000, maxDelayMs: 3_600_000 } as const;

/** The wait before attempt `attempt + 1` (attempt counts from 1), never less than a Retry-After. */
export function webhookRetryDelayMs(attempt: number, retryAfterMs?: number): number {
  const backoff = Math.min(WEBHOOK_RETRY.firstDelayMs * 2 ** (attempt - 1), WEBHOOK_RETRY.maxDelayMs);
  return Math.max(backoff, Math.min(retryAfterMs ?? 0, WEBHOOK_RETRY.maxDelayMs));
}

/** Whether an answer may change if asked again: timeouts, network errors, 408, 425, 429 and 5xx. */
export const isRetryableStatus = (status: number | undefined): boolean =>
  status === undefined || status === 408 || status === 425 || status === 429 || status >= 500;
