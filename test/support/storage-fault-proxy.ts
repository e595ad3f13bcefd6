import http from "node:http";
import type { AddressInfo } from "node:net";

/** One storage request as the proxy received it. */
export interface ProxiedRequest {
  method: string;
  /** The path and query, e.g. `/devstoreaccount1/$batch`. */
  url: string;
  /** The body as text (a `$batch` body lists its operations, one per part). */
  body: string;
}

/**
 * Where to stop: `request` holds the matching request before it reaches storage (it never does);
 * `answer` lets storage carry it out and holds the answer (the caller never learns it succeeded).
 */
export type HoldPoint = "request" | "answer";

/**
 * A loopback HTTP proxy in front of Azurite for crash tests: requests pass through unchanged
 * (shared-key signatures cover the path, not the host) until one matches the armed rule; that one
 * is held at the chosen point and `held` resolves, so a test can kill the client process at a
 * known place. Nothing is held after the first match; `close` drops whatever is still open.
 */
export async function startStorageFaultProxy(targetPort: number) {
  let rule:
    | { matches: (r: ProxiedRequest) => boolean; at: HoldPoint; resolve: (r: ProxiedRequest) => void }
    | undefined;
  const seen: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const request = { method: req.method ?? "GET", url: req.url ?? "/", body: body.toString("utf8") };
      seen.push(request);
      const hit = rule?.matches(request) ? rule : undefined;
      if (hit) rule = undefined;
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
    holdFirst(matches: (r: ProxiedRequest) => boolean, at: HoldPoint): Promise<ProxiedRequest> {
      return new Promise((resolve) => {
        rule = { matches, at, resolve };
      });
    },
    /** Forgets a rule that nothing matched. */
    disarm(): void {
      rule = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type StorageFaultProxy = Awaited<ReturnType<typeof startStorageFaultProxy>>;
