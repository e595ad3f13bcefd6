import http from "node:http";
import type { AddressInfo } from "node:net";

/** One storage request as the proxy saw it, labelled with the step that was running. */
export interface TracedOperation {
  step: string;
  /** e.g. "GET point read Requests e|", "POST $batch Audit (3 ops) s|". */
  what: string;
}

const ACCOUNT = "devstoreaccount1";

/** The table and the tag of the partition key (`e|`, `u|`, `due|`, `buckets`, ...). */
function describe(method: string, url: string, headers: http.IncomingHttpHeaders, body: string): string {
  const p = decodeURIComponent(url.split("?")[0]!.replace(`/${ACCOUNT}/`, ""));
  const query = url.includes("?") ? decodeURIComponent(url.slice(url.indexOf("?"))) : "";
  if (p === "$batch") {
    const inner = [...body.matchAll(/^(GET|PUT|POST|PATCH|MERGE|DELETE) \S+\/(\w+)\(PartitionKey='([^']*)'/gm)];
    const first = inner[0];
    const table = first?.[2] ?? "?";
    return `POST $batch ${table} ${tagOf(first?.[3] ?? "")} (${inner.length} ops)`;
  }
  const entity = /^(\w+)\(PartitionKey='([^']*)',RowKey='([^']*)'\)$/.exec(p);
  if (entity) {
    const [, table, pk] = entity;
    const cas = headers["if-match"] && headers["if-match"] !== "*" ? " if-match" : "";
    const kind = method === "GET" ? "point read" : method === "DELETE" ? "delete" : method === "PUT" ? "replace" : "merge";
    return `${method} ${kind}${cas} ${table} ${tagOf(pk!)}`;
  }
  const table = /^(\w+)(\(\))?$/.exec(p)?.[1] ?? p;
  if (method === "GET") {
    const pk = /PartitionKey eq '([^']*)'/.exec(query)?.[1] ?? "";
    return `GET query ${table} ${tagOf(pk)}`;
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
export async function startTraceProxy(targetPort: number) {
  const operations: TracedOperation[] = [];
  let step = "setup";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      operations.push({ step, what: describe(req.method ?? "?", req.url ?? "", req.headers, body.toString("utf8")) });
      const upstream = http.request(
        { host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
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
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    operations,
    setStep(name: string) {
      step = name;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
