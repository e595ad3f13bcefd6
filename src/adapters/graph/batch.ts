import { delayFor, isRetryableStatus, NO_RESPONSE, parseRetryAfter } from "./retry-policy";
import type { GraphAnswer, GraphCall, GraphTransport } from "./transport";

/** Graph refuses a `$batch` with more than 20 requests. */
export const MAX_BATCH_SIZE = 20;

interface BatchItemAnswer {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Runs calls through `$batch`, 20 at a time, and judges each answer on its own: a throttled or
 * failing item is retried alone after its own Retry-After (or backoff); the others are done.
 * A throttled batch as a whole also holds back the next batches until its Retry-After passed.
 * Answers come back in the order of `calls`.
 */
export async function runBatched(transport: GraphTransport, calls: GraphCall[]): Promise<GraphAnswer[]> {
  const { retry: opts, runtime } = transport;
  const answers: GraphAnswer[] = new Array(calls.length);
  const retries: number[] = calls.map(() => 0);
  const started = runtime.now();
  let pending = calls.map((_, i) => i);
  let gateUntil = 0;

  while (pending.length > 0) {
    const again: { index: number; notBefore: number }[] = [];
    for (let at = 0; at < pending.length; at += MAX_BATCH_SIZE) {
      const chunk = pending.slice(at, at + MAX_BATCH_SIZE);
      const gate = gateUntil - runtime.now();
      if (gate > 0) await transport.wait(gate, 0);
      const chunkAnswers = await sendBatch(
        transport,
        chunk.map((i) => calls[i]),
      );
      const whole = chunkAnswers.whole;
      if (whole && whole.status === 429) {
        gateUntil = runtime.now() + (parseRetryAfter(whole.headers["retry-after"], runtime.now()) ?? 0);
      }
      chunk.forEach((index, k) => {
        const answer = chunkAnswers.items[k];
        if (!isRetryableStatus(answer.status)) {
          answers[index] = answer;
          return;
        }
        const now = runtime.now();
        const wait = delayFor(
          retries[index],
          parseRetryAfter(answer.headers["retry-after"], now),
          opts,
          runtime.random,
        );
        if (retries[index] >= opts.maxRetries || now - started + wait > opts.maxElapsedMs) {
          answers[index] = { ...answer, retryAfterMs: wait };
          return;
        }
        retries[index]++;
        again.push({ index, notBefore: now + wait });
      });
    }
    if (again.length === 0) break;
    // One wait per round, long enough for every item's own Retry-After or backoff.
    const until = Math.max(...again.map((a) => a.notBefore));
    await transport.wait(Math.max(0, until - runtime.now()), again.length);
    pending = again.map((a) => a.index);
  }
  return answers;
}

/** One `$batch` exchange; a failed exchange gives every item the same answer. */
async function sendBatch(
  transport: GraphTransport,
  calls: GraphCall[],
): Promise<{ items: GraphAnswer[]; whole?: GraphAnswer }> {
  const requests = calls.map((call, i) => ({
    id: String(i + 1),
    method: call.method,
    url: call.url,
    ...(call.body !== undefined ? { body: call.body } : {}),
    headers: { ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}), ...call.headers },
  }));
  const whole = await transport.sendOnce({ method: "POST", url: "/$batch", body: { requests } });
  if (whole.status !== 200) return { items: calls.map(() => whole), whole };
  const byId = new Map<string, BatchItemAnswer>();
  for (const item of (whole.body as { responses?: BatchItemAnswer[] })?.responses ?? [])
    byId.set(String(item.id), item);
  const items = requests.map((request): GraphAnswer => {
    const item = byId.get(request.id);
    // An item Graph did not answer is treated like a lost response: retryable.
    if (!item)
      return {
        status: NO_RESPONSE,
        headers: {},
        body: { error: { code: "MissingBatchResponse", message: "" } },
      };
    return { status: item.status, headers: lowerCaseKeys(item.headers), body: item.body };
  });
  return { items };
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = String(value);
  return out;
}
