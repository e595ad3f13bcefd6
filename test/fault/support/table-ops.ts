/**
 * Table Storage writes as the fault proxy sees them, turned into operations a test can name:
 * `POST /<table>` creates, `PUT` / `PATCH` of `/<table>(PartitionKey='..',RowKey='..')` upsert
 * (no If-Match) or update (If-Match: an ETag is a compare-and-swap, `*` is unconditional), `DELETE`
 * deletes, and `POST /$batch` carries several of those (one partition), each as a part of its body.
 */
import type { ProxiedRequest } from "../../support/storage-fault-proxy";

export type Verb = "create" | "upsert" | "update" | "delete";

export interface TableOp {
  verb: Verb;
  /** The table name without the test's prefix, e.g. `DueWork`. */
  table: string;
  partitionKey: string;
  rowKey: string;
  /** `etag`: compare-and-swap; `any`: If-Match *; `none`: no If-Match (creates, upserts). */
  condition: "etag" | "any" | "none";
  /** The entity as JSON text (creates and upserts), or "". */
  body: string;
  /** Whether it came inside a `$batch`. */
  batched: boolean;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const ENTITY = /\/([A-Za-z0-9]+)\(PartitionKey='((?:[^']|'')*)',RowKey='((?:[^']|'')*)'\)/;
const TABLE = /\/([A-Za-z0-9]+)\/?(?:\?.*)?$/;

function opOf(
  method: string,
  target: string,
  ifMatch: string | undefined,
  body: string,
  prefix: string,
  batched: boolean,
): TableOp | undefined {
  const path = target.replace(/^https?:\/\/[^/]+/, "").split("?")[0]!;
  const entity = ENTITY.exec(path);
  const condition = ifMatch === undefined ? "none" : ifMatch.trim() === "*" ? "any" : "etag";
  const strip = (table: string) => (table.startsWith(prefix) ? table.slice(prefix.length) : undefined);
  if (entity) {
    const table = strip(entity[1]!);
    if (!table) return undefined;
    const [partitionKey, rowKey] = [entity[2]!, entity[3]!].map((k) => decode(k.replace(/''/g, "'")));
    const verb: Verb = method === "DELETE" ? "delete" : condition === "none" ? "upsert" : ("update" as Verb);
    return { verb, table, partitionKey: partitionKey!, rowKey: rowKey!, condition, body, batched };
  }
  if (method !== "POST") return undefined;
  const table = TABLE.exec(path)?.[1];
  if (!table || table === "$batch" || table === "Tables") return undefined;
  const name = strip(table);
  if (!name) return undefined;
  let keys: { PartitionKey?: string; RowKey?: string } = {};
  try {
    keys = JSON.parse(body) as typeof keys;
  } catch {
    /* not JSON */
  }
  return {
    verb: "create",
    table: name,
    partitionKey: keys.PartitionKey ?? "",
    rowKey: keys.RowKey ?? "",
    condition,
    body,
    batched,
  };
}

/** The write operations one proxied request carries for tables of `prefix` (none for reads). */
export function tableOps(r: ProxiedRequest, prefix: string): TableOp[] {
  if (r.method === "GET") return [];
  if (!r.url.split("?")[0]!.endsWith("/$batch")) {
    const ifMatch = r.headers?.["if-match"];
    const op = opOf(r.method, r.url, Array.isArray(ifMatch) ? ifMatch[0] : ifMatch, r.body, prefix, false);
    return op ? [op] : [];
  }
  const ops: TableOp[] = [];
  const lines = r.body.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = /^(POST|PUT|PATCH|MERGE|DELETE) (\S+) HTTP\/1\.1$/.exec(lines[i]!.trim());
    if (!line) continue;
    let ifMatch: string | undefined;
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== ""; j += 1) {
      const header = /^If-Match:\s*(.*)$/i.exec(lines[j]!.trim());
      if (header) ifMatch = header[1];
    }
    // The SDK may leave more than one blank line between a part's headers and its body.
    let k = j + 1;
    while (k < lines.length && lines[k]!.trim() === "") k += 1;
    const body = lines[k]?.trim().startsWith("{") ? lines[k]!.trim() : "";
    const method = line[1] === "MERGE" ? "PATCH" : line[1]!;
    const op = opOf(method, line[2]!, ifMatch, body, prefix, true);
    if (op) ops.push(op);
    i = j;
  }
  return ops;
}

/** What a kill point or a failure waits for: an operation of this shape. */
export interface OpPattern {
  table: string;
  verb: Verb | Verb[];
  condition?: TableOp["condition"];
  partitionKey?: RegExp;
  rowKey?: RegExp;
  body?: RegExp;
}

export function opMatches(op: TableOp, p: OpPattern): boolean {
  const verbs = Array.isArray(p.verb) ? p.verb : [p.verb];
  return (
    op.table === p.table &&
    verbs.includes(op.verb) &&
    (p.condition === undefined || op.condition === p.condition) &&
    (p.partitionKey === undefined || p.partitionKey.test(op.partitionKey)) &&
    (p.rowKey === undefined || p.rowKey.test(op.rowKey)) &&
    (p.body === undefined || p.body.test(op.body))
  );
}

/**
 * A matcher for the proxy: true for the `nth` request (from now on) carrying an operation of the
 * pattern. Counting starts when the matcher is made, so arm it right before the work starts.
 */
export function nthWrite(prefix: string, pattern: OpPattern, nth = 1): (r: ProxiedRequest) => boolean {
  let seen = 0;
  return (r) => {
    if (!tableOps(r, prefix).some((op) => opMatches(op, pattern))) return false;
    seen += 1;
    return seen === nth;
  };
}

/** A matcher for every request (from the first on) carrying an operation of the pattern. */
export function anyWrite(prefix: string, pattern: OpPattern): (r: ProxiedRequest) => boolean {
  return (r) => tableOps(r, prefix).some((op) => opMatches(op, pattern));
}
