/** The fault suites' report: a table of the figures per point, and waiting for a quiet proxy. */
import type { StorageFaultProxy } from "../../support/storage-fault-proxy";
import type { Figures } from "./figures";
import { sleep } from "./figures";

export interface Row {
  name: string;
  figures: Figures;
  note?: string;
}

/** A compact table of the figures, for the test output. */
export function table(title: string, rows: Row[]): string {
  const head = ["point", "lost", "doubled", "unlogged", "stuck", "due", "unaudited", "note"];
  const body = rows.map((r) => [
    r.name,
    String(r.figures.lost),
    String(r.figures.doubled),
    String(r.figures.window),
    String(r.figures.stuck),
    String(r.figures.due),
    String(r.figures.unaudited + (r.figures.auditExtra ? ` (+${r.figures.auditExtra})` : "")),
    r.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ");
  return [`\n  ${title}`, `  ${line(head)}`, ...body.map((b) => `  ${line(b)}`)].join("\n");
}

/** Resolves once the proxy saw no write (but lease renewals) for `quietMs`. */
export async function quiet(proxy: StorageFaultProxy, quietMs = 300, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = proxy.seen.length;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const fresh = proxy.seen.slice(seen).filter((r) => r.method !== "GET" && !/Leases/.test(r.url));
    seen = proxy.seen.length;
    if (fresh.length > 0) since = Date.now();
    else if (Date.now() - since >= quietMs) return;
  }
}
