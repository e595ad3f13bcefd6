import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { Faults } from "./faults";
import { badRequest, unauthorized, type Reply } from "./graph-errors";
import { route } from "./routes";
import { Tenant } from "./tenant";

/** One answered call: a whole HTTP request, or one item inside a `$batch`. */
export interface LoggedCall {
  kind: "request" | "item";
  method: string;
  /** Path below the version root plus query, as received. */
  url: string;
  body?: unknown;
  status: number;
  retryAfter?: string;
  /** performance.now() when the answer was decided. */
  at: number;
  authorization?: string;
  /** For items: the sequence number of the `$batch` request that carried them. */
  batch?: number;
}

export interface GraphServerOptions {
  /** Serve https with this key pair (the Graph SDK sends tokens to https hosts only). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** When set, a request without `Authorization: Bearer <token>` gets 401. */
  requireToken?: string;
  /** Page size when the client sends no `$top`. Graph's default is 100. */
  pageSize?: number;
  /** Cap on any page, `$top` included (Graph caps users at 999). */
  maxPageSize?: number;
}

/** A loopback Microsoft Graph for tests: real routes, real error bodies, injected faults. */
export class GraphTestServer {
  readonly tenant = new Tenant();
  readonly faults = new Faults();
  readonly log: LoggedCall[] = [];
  baseUrl = "";
  private server: http.Server | undefined;
  private requests = 0;
  private stalls: number[] = [];

  constructor(private readonly opts: GraphServerOptions = {}) {}

  async start(): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    this.server = this.opts.tls ? https.createServer(this.opts.tls, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `${this.opts.tls ? "https" : "http"}://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Holds the answers of the next requests (after applying them): a response lost to a timeout. */
  stallNext(count: number, ms: number): void {
    for (let i = 0; i < count; i++) this.stalls.push(ms);
  }

  requestsOf(kind: "request" | "item"): LoggedCall[] {
    return this.log.filter((c) => c.kind === kind);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/v1\.0/, "");
    const headers = lowerCase(req.headers);
    const batch = ++this.requests;
    const reply = this.answer(req.method ?? "GET", path, url.search, text, headers, batch);
    this.log.push({
      kind: "request",
      method: req.method ?? "GET",
      url: path + url.search,
      status: reply.status,
      retryAfter: reply.headers?.["Retry-After"],
      at: performance.now(),
      authorization: headers["authorization"],
    });
    const stall = this.stalls.shift();
    if (stall) await new Promise((resolve) => setTimeout(resolve, stall));
    if (res.destroyed) return;
    res.writeHead(reply.status, {
      ...(reply.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...reply.headers,
    });
    res.end(reply.body !== undefined ? JSON.stringify(reply.body) : undefined);
  }

  private answer(
    method: string,
    path: string,
    search: string,
    text: string,
    headers: Record<string, string>,
    batch: number,
  ): Reply {
    const token = this.opts.requireToken;
    if (token && headers["authorization"] !== `Bearer ${token}`) return unauthorized();
    const fault = this.faults.pick("request", method, path);
    if (fault) return fault;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return badRequest("Unable to read JSON request payload.");
    }
    if (method === "POST" && path === "/$batch") return this.batch(body, batch);
    return this.dispatch(method, path, new URLSearchParams(search), headers, body);
  }

  /** `$batch`: at most 20 items, each answered on its own, in any order as Graph may. */
  private batch(body: unknown, batch: number): Reply {
    const requests = (body as { requests?: BatchItem[] })?.requests;
    if (!Array.isArray(requests)) return badRequest("Invalid batch payload format.");
    if (requests.length > 20) return badRequest("Number of requests in the batch exceeds the limit of 20.");
    const responses = requests.map((item) => {
      const [rawPath, search = ""] = `/${item.url.replace(/^\//, "")}`.split("?");
      const path = rawPath.replace(/^\/v1\.0/, "");
      const headers = lowerCase(item.headers ?? {});
      const reply =
        this.faults.pick("item", item.method, path) ??
        this.dispatch(item.method, path, new URLSearchParams(search), headers, item.body);
      this.log.push({
        kind: "item",
        method: item.method,
        url: item.url,
        body: item.body,
        status: reply.status,
        retryAfter: reply.headers?.["Retry-After"],
        at: performance.now(),
        batch,
      });
      return { id: item.id, status: reply.status, headers: reply.headers ?? {}, body: reply.body };
    });
    return { status: 200, body: { responses: responses.reverse() } };
  }

  private dispatch(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    body: unknown,
  ): Reply {
    try {
      return route(
        { method, path, query, headers, body },
        {
          tenant: this.tenant,
          versionRoot: `${this.baseUrl}/v1.0`,
          defaultPageSize: this.opts.pageSize ?? 100,
          maxPageSize: this.opts.maxPageSize ?? 999,
        },
      );
    } catch (error) {
      return badRequest(error instanceof Error ? error.message : String(error));
    }
  }
}

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

function lowerCase(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    if (value !== undefined) out[key.toLowerCase()] = String(value);
  return out;
}
