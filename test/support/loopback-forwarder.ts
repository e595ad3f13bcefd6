import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the forwarder received it, body read in full. */
export interface ForwardedRequest {
  method: string;
  /** The path and query as sent, e.g. `/v3/conversations/a%3A1/activities/7`. */
  url: string;
  /** The path without the query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An answer the forwarder gives itself; the target never sees the request. */
export interface OwnAnswer {
  status: number;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
}

/** Forward the request, but only after `delayMs`. */
export interface Delay {
  delayMs: number;
}

/**
 * Looks at each request before it is forwarded: an `OwnAnswer` answers it in place of the target,
 * a `Delay` holds it back first, nothing forwards it at once.
 */
export type Intercept = (
  request: ForwardedRequest,
) => OwnAnswer | Delay | undefined | Promise<OwnAnswer | Delay | undefined>;

/**
 * A loopback HTTP server (127.0.0.1, a free port) in front of `target` (a base URL such as the
 * local channel's service URL, or a function giving it): each request goes on with its method, path, headers (the host
 * rewritten) and body, and the target's answer is piped back, or 502 when it cannot be reached.
 * `intercept` stands in for a front end having a bad moment (429, 5xx) or a slow one.
 */
export async function startLoopbackForwarder(target: string | (() => string), intercept?: Intercept) {
  // A function: the target is known only later (a server that starts after the forwarder).
  const base = () => (typeof target === "function" ? target() : target).replace(/\/+$/, "");
  const forward = (req: ForwardedRequest, res: http.ServerResponse) => {
    const url = new URL(base() + req.url);
    const onward = http.request(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    onward.on("error", () => res.writeHead(502).end());
    onward.end(req.body);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = req.url ?? "";
      const request: ForwardedRequest = {
        method: req.method ?? "GET",
        url,
        path: url.split("?")[0]!,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      const decision = await intercept?.(request);
      if (decision && "status" in decision) {
        res.writeHead(decision.status, decision.headers);
        res.end(decision.body);
        return;
      }
      if (decision && decision.delayMs > 0)
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      forward(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
