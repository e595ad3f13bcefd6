import http from "node:http";
import { performance } from "node:perf_hooks";
import type { AddressInfo } from "node:net";

/** One storage request as the proxy saw it, labelled with the step that was running. */
export interface TracedOperation {
  step: string;
  /** e.g. "point read Requests e|", "$batch Audit s| (3 ops)". */
  what: string;
  /** When the request arrived and when its answer was complete (performance.now()). */
  at: number;
  doneAt?: number;
}

const ACCOUNT = "devstoreaccount1";

/** The table and the tag of the partition key (`e|`, `u|`, `due|`, `buckets`, ...). */
function describe(method: string, url: string, headers: http.IncomingHttpHeaders, body: string): string {
  const p = decodeURIComponent(url.split("?")[0]!.replace(`/${ACCOUNT}/`, ""));
  const query = url.includes("?") ? decodeURIComponent(url.slice(url.indexOf("?"))) : "";
  if (p === "$batch") {
    // Each operation is a request line; an insert (POST to the table) names its partition only in
    // its JSON body, the others in the URL.
    const inner = [
      ...body.matchAll(/^(GET|PUT|POST|PATCH|MERGE|DELETE) \S+\/(\w+)(\(PartitionKey='([^']*)')?/gm),
    ];
    const first = inner[0];
    const table = first?.[2] ?? "?";
    const pk =
      first?.[4] !== undefined
        ? decodeURIComponent(first[4])
        : (/"PartitionKey":"([^"]*)"/.exec(body.slice(first?.index ?? 0))?.[1] ?? "");
    return `$batch ${table} ${tagOf(pk)} (${inner.length} ops)`;
  }
  const entity = /^(\w+)\(PartitionKey='([^']*)',RowKey='([^']*)'\)$/.exec(p);
  if (entity) {
    const [, table, pk] = entity;
    const ifMatch = headers["if-match"];
    const cas = ifMatch !== undefined && ifMatch !== "*";
    const kind =
      method === "GET"
        ? "point read"
        : method === "DELETE"
          ? cas
            ? "delete (ETag)"
            : "delete"
          : method === "PUT"
            ? ifMatch === undefined
              ? "upsert"
              : cas
                ? "update (ETag)"
                : "update"
            : ifMatch === undefined
              ? "upsert-merge"
              : cas
                ? "merge (ETag)"
                : "merge";
    return `${kind} ${table} ${tagOf(pk!)}`;
  }
  const table = /^(\w+)(\(\))?$/.exec(p)?.[1] ?? p;
  if (method === "GET") {
    const pk = /PartitionKey eq '([^']*)'/.exec(query)?.[1] ?? "";
    return `query ${table} ${tagOf(pk)}`;
  }
  if (method === "POST") {
    const pk = /"PartitionKey":"([^"]*)"/.exec(body)?.[1] ?? "";
    return `insert ${table} ${tagOf(pk)}`;
  }
  return `${method} ${table}`;
}

/** The partition key's tag: what kind of row it is, without the ids. */
function tagOf(partitionKey: string): string {
  if (partitionKey === "") return "(all)";
  const cut = partitionKey.indexOf("|");
  return cut < 0 ? partitionKey : partitionKey.slice(0, cut + 1);
}

/**
 * A loopback HTTP proxy in front of Azurite that records each storage request (method, table,
 * partition tag) under the current step. Signatures stay valid: they cover the path, not the host.
 */
export async function startTraceProxy(targetPort: number, tablePrefix = "") {
  const operations: TracedOperation[] = [];
  let step = "setup";
  let lastAt = performance.now();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const at = performance.now();
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const what = describe(req.method ?? "?", req.url ?? "", req.headers, body.toString("utf8"));
      const op: TracedOperation = { step, what: tablePrefix ? what.split(tablePrefix).join("") : what, at };
      operations.push(op);
      lastAt = at;
      const upstream = http.request(
        { host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", () => {
            op.doneAt = performance.now();
            lastAt = op.doneAt;
          });
        },
      );
      upstream.on("error", (e) => {
        op.doneAt = performance.now();
        res.writeHead(502);
        res.end(String(e));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    operations,
    setStep(name: string) {
      step = name;
    },
    /** Resolves once no storage request has started or ended for `quietMs` (the bot has gone idle). */
    async quiet(quietMs = 300, timeoutMs = 60_000) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        const idle = performance.now() - lastAt;
        const open = operations.some((o) => o.doneAt === undefined);
        if (!open && idle >= quietMs) return;
        await new Promise((r) => setTimeout(r, Math.max(20, quietMs - idle)));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The longest chain of storage requests each starting after the one before ended: sequential round trips. */
export function roundTrips(ops: TracedOperation[]): number {
  return longestChain(ops).length;
}

/** The requests of the longest chain in which each starts after the one before it ended. */
export function longestChain(ops: TracedOperation[]): TracedOperation[] {
  const sorted = [...ops].sort((a, b) => a.at - b.at);
  const depth: number[] = [];
  const parent: number[] = [];
  let end = -1;
  sorted.forEach((op, i) => {
    let d = 1;
    let from = -1;
    for (let j = 0; j < i; j++) {
      const before = sorted[j]!;
      if (before.doneAt !== undefined && before.doneAt <= op.at && depth[j]! + 1 > d) {
        d = depth[j]! + 1;
        from = j;
      }
    }
    depth.push(d);
    parent.push(from);
    if (end < 0 || d > depth[end]!) end = i;
  });
  const chain: TracedOperation[] = [];
  for (let i = end; i >= 0; i = parent[i]!) chain.unshift(sorted[i]!);
  return chain;
}
