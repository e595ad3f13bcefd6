import http from "node:http";
import type { AddressInfo } from "node:net";

/** One storage request as the proxy received it. */
export interface ProxiedRequest {
  method: string;
  /** The path and query, e.g. `/devstoreaccount1/$batch`. */
  url: string;
  /** The body as text (a `$batch` body lists its operations, one per part). */
  body: string;
  /** The request headers as Node gives them (lower-case names), e.g. `if-match`. */
  headers?: http.IncomingHttpHeaders;
}

/**
 * Where to stop: `request` holds the matching request before it reaches storage (it never does);
 * `answer` lets storage carry it out and holds the answer (the caller never learns it succeeded).
 */
export type HoldPoint = "request" | "answer";

/** What `holdFirst` does once it matched. */
export interface HoldOptions {
  /**
   * Hold every later request too (never forwarded, never answered) until `disarm` or the next
   * `holdFirst`: storage sees exactly what came before the kill point, however fast the test kills.
   */
  freeze?: boolean;
}

/**
 * An error answer instead of storage's (503 Server Busy by default): `at: "request"` answers
 * without forwarding (storage never carried it out), `"answer"` forwards, lets storage carry it out
 * and replaces its answer (the caller is told it failed although it happened). `times` matching
 * requests in a row are answered so (the SDK retries a 503 three times: 4 fail the call).
 * `retryAfterMs` is sent as `x-ms-retry-after-ms`, so the SDK retries at once instead of backing off.
 */
export interface FailureRule {
  matches: (r: ProxiedRequest) => boolean;
  status?: number;
  times?: number;
  at?: HoldPoint;
  retryAfterMs?: number;
}

/** An armed failure: how many requests it answered, and every one it matched. */
export interface ArmedFailure {
  readonly answered: number;
  readonly hits: ProxiedRequest[];
}

/**
 * A loopback HTTP proxy in front of Azurite for crash tests: requests pass through unchanged
 * (shared-key signatures cover the path, not the host) until one matches the armed rule; that one
 * is held at the chosen point and `held` resolves, so a test can kill the client process at a
 * known place. Nothing is held after the first match; `close` drops whatever is still open.
 */
export async function startStorageFaultProxy(targetPort: number) {
  let rule:
    | {
        matches: (r: ProxiedRequest) => boolean;
        at: HoldPoint;
        resolve: (r: ProxiedRequest) => void;
        freeze?: boolean;
      }
    | undefined;
  const seen: ProxiedRequest[] = [];
  let frozen = false;
  const failures: { rule: FailureRule; state: { answered: number; hits: ProxiedRequest[] } }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const request: ProxiedRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        body: body.toString("utf8"),
        headers: req.headers,
      };
      seen.push(request);
      if (frozen) return; // after a frozen hold: nothing more reaches storage
      const failure = failures.find((f) => f.state.answered < (f.rule.times ?? 1) && f.rule.matches(request));
      if (failure) {
        failure.state.answered += 1;
        failure.state.hits.push(request);
        const fail = () => {
          const headers: http.OutgoingHttpHeaders = { "content-type": "application/json" };
          if (failure.rule.retryAfterMs !== undefined)
            headers["x-ms-retry-after-ms"] = String(failure.rule.retryAfterMs);
          res.writeHead(failure.rule.status ?? 503, headers);
          res.end(
            JSON.stringify({ "odata.error": { code: "ServerBusy", message: { value: "fault proxy" } } }),
          );
        };
        if ((failure.rule.at ?? "request") === "request") return fail();
        const carried = http.request(
          { host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            answer.resume();
            answer.on("end", fail);
          },
        );
        carried.on("error", fail);
        carried.end(body);
        return;
      }
      const hit = rule?.matches(request) ? rule : undefined;
      if (hit) rule = undefined;
      if (hit?.freeze) frozen = true;
      if (hit?.at === "request") {
        hit.resolve(request);
        return; // never forwarded, never answered
      }
      const upstream = http.request(
        { host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          if (hit) {
            // Carried out by storage; the caller waits for an answer that never comes.
            answer.resume();
            answer.on("end", () => hit.resolve(request));
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** Every request so far. */
    seen,
    /** Holds the first request that matches from now on; resolves once it is held. */
    holdFirst(
      matches: (r: ProxiedRequest) => boolean,
      at: HoldPoint,
      options: HoldOptions = {},
    ): Promise<ProxiedRequest> {
      frozen = false;
      return new Promise((resolve) => {
        rule = { matches, at, resolve, freeze: options.freeze };
      });
    },
    /** Forgets a rule that nothing matched (and a freeze: later requests pass again). */
    disarm(): void {
      rule = undefined;
      frozen = false;
    },
    /** Answers matching requests with an error instead of storage's answer (see `FailureRule`). */
    fail(failure: FailureRule): ArmedFailure {
      const state = { answered: 0, hits: [] as ProxiedRequest[] };
      failures.push({ rule: failure, state });
      return state;
    },
    /** Forgets every failure rule. */
    clearFailures(): void {
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type StorageFaultProxy = Awaited<ReturnType<typeof startStorageFaultProxy>>;
