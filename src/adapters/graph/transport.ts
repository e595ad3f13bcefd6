import { ResponseType, type Client } from "@microsoft/microsoft-graph-client";
import type { Logger } from "../../ports/logger";
import { GRAPH_VERSION } from "./client";
import {
  delayFor,
  isRetryableStatus,
  NO_RESPONSE,
  parseRetryAfter,
  realRuntime,
  resolveRetryOptions,
  type RetryOptions,
  type RetryRuntime,
} from "./retry-policy";

export type GraphMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** One Graph call, with a path relative to the version root ("/groups/{id}/members/$ref"). */
export interface GraphCall {
  method: GraphMethod;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An answer as data: HTTP errors are values, not exceptions, so callers decide what they mean. */
export interface GraphAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Set when the answer was still retryable but the budget ran out: when to try again. */
  retryAfterMs?: number;
}

export interface TransportOptions {
  retry?: Partial<RetryOptions>;
  runtime?: Partial<RetryRuntime>;
  logger?: Logger;
}

/** Counters for logs and tests: what it cost to get the work done. */
export interface TransportStats {
  httpRequests: number;
  retries: number;
  /** Every wait the retry policy asked for, in ms, in order. */
  waits: number[];
}

/** Sends calls through the Graph SDK client and retries what deserves a retry. */
export class GraphTransport {
  readonly retry: RetryOptions;
  readonly runtime: RetryRuntime;
  readonly stats: TransportStats = { httpRequests: 0, retries: 0, waits: [] };
  private readonly logger: Logger | undefined;

  constructor(
    private readonly client: Client,
    opts: TransportOptions = {},
  ) {
    this.retry = resolveRetryOptions(opts.retry);
    this.runtime = { ...realRuntime, ...opts.runtime };
    this.logger = opts.logger;
  }

  /** One call with retries; the last answer comes back whatever it is. */
  async call(call: GraphCall): Promise<GraphAnswer> {
    const started = this.runtime.now();
    for (let retry = 0; ; retry++) {
      const answer = await this.sendOnce(call);
      if (!isRetryableStatus(answer.status)) return answer;
      const wait = delayFor(
        retry,
        parseRetryAfter(answer.headers["retry-after"], this.runtime.now()),
        this.retry,
        this.runtime.random,
      );
      if (retry >= this.retry.maxRetries || this.runtime.now() - started + wait > this.retry.maxElapsedMs) {
        return { ...answer, retryAfterMs: wait };
      }
      this.logger?.debug({ url: call.url, status: answer.status, wait }, "graph call retried");
      await this.wait(wait, 1);
    }
  }

  /** GET a collection and follow `@odata.nextLink` to the end. Throws when a page fails. */
  async getAll<T>(url: string, headers?: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = url;
    while (next) {
      const answer = await this.call({ method: "GET", url: next, headers });
      if (answer.status !== 200) throw new GraphCallError(next, answer);
      const page = answer.body as { value?: T[]; "@odata.nextLink"?: string };
      items.push(...(page.value ?? []));
      next = page["@odata.nextLink"] ? relativeToVersionRoot(page["@odata.nextLink"]) : undefined;
    }
    return items;
  }

  /** Waits and counts the retries the wait is for. */
  async wait(ms: number, retries: number): Promise<void> {
    this.stats.retries += retries;
    this.stats.waits.push(ms);
    await this.runtime.sleep(ms);
  }

  /** One HTTP exchange through the SDK's middleware (auth, telemetry, fetch); never throws. */
  async sendOnce(call: GraphCall): Promise<GraphAnswer> {
    this.stats.httpRequests++;
    try {
      let request = this.client
        .api(call.url)
        .responseType(ResponseType.RAW)
        .option("signal", AbortSignal.timeout(this.retry.requestTimeoutMs));
      if (call.headers) request = request.headers(call.headers);
      const raw: Response = await (call.method === "GET"
        ? request.get()
        : call.method === "POST"
          ? request.post(call.body ?? {})
          : call.method === "PATCH"
            ? request.patch(call.body ?? {})
            : request.delete());
      return await readAnswer(raw);
    } catch (error) {
      // Network failure, timeout or credential failure: no HTTP answer, worth another try.
      const message = error instanceof Error ? error.message : String(error);
      return { status: NO_RESPONSE, headers: {}, body: { error: { code: "NoResponse", message } } };
    }
  }
}

/** A read that did not succeed, carrying Graph's answer. */
export class GraphCallError extends Error {
  constructor(
    readonly url: string,
    readonly answer: GraphAnswer,
  ) {
    super(`Graph ${url} answered ${answer.status}: ${errorMessage(answer.body)}`);
    this.name = "GraphCallError";
  }

  /** Throttled, unavailable or no answer at all: asking again later may succeed. */
  get retryable(): boolean {
    const { status } = this.answer;
    return status === 0 || status === 429 || status >= 500;
  }
}

export function errorCode(body: unknown): string {
  return (body as { error?: { code?: string } } | undefined)?.error?.code ?? "";
}

export function errorMessage(body: unknown): string {
  return (body as { error?: { message?: string } } | undefined)?.error?.message ?? "";
}

async function readAnswer(raw: Response): Promise<GraphAnswer> {
  const headers: Record<string, string> = {};
  raw.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
  const text = await raw.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: { code: "UnreadableBody", message: text.slice(0, 200) } };
    }
  }
  return { status: raw.status, headers, body };
}

/**
 * The SDK only strips the host off https links; a nextLink is made relative so paging works the
 * same against Graph and a plain-http loopback server. The opaque skip token is kept verbatim.
 */
export function relativeToVersionRoot(link: string): string {
  const url = new URL(link);
  const prefix = `/${GRAPH_VERSION}`;
  const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
  return path + url.search;
}
