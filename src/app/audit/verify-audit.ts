import { type AuditDay, type ChainedEntry, GENESIS } from "../../domain/audit/chain";
import {
  type TamperFinding,
  compareAnchors,
  verifyAnchors,
  verifyCopies,
  verifyDay,
} from "../../domain/audit/verify";
import type { AuditChainStore } from "../../ports/audit-chain";

export interface VerifySummary {
  days: number;
  entries: number;
  anchors: number;
  purgedDays: number;
  copies: number;
}

export type VerifyResult =
  | { ok: true; summary: VerifySummary }
  | { ok: false; finding: TamperFinding; summary: VerifySummary };

export interface VerifyOptions {
  /** First day to check (YYYY-MM-DD); the anchor before it is taken as given. */
  fromDay?: AuditDay;
  /** Anchors exported earlier (`audit anchors`), kept outside storage: each must still be there, unchanged. */
  kept?: { day: AuditDay; hash: string }[];
}

/**
 * Walks the chains: the anchors from the first day on, each day by seq against its head and anchor,
 * then the query copies against the chained entries. The finding reported is the earliest by day.
 */
export async function verifyAudit(
  chain: AuditChainStore,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const { fromDay } = options;
  const [days, allAnchors, copies] = await Promise.all([
    chain.readChains(fromDay),
    chain.anchors(),
    chain.readCopies(fromDay !== undefined ? `${fromDay}T00:00:00.000Z` : undefined),
  ]);
  const before = fromDay === undefined ? undefined : allAnchors.filter((a) => a.day < fromDay).at(-1);
  const anchors = allAnchors.filter((a) => fromDay === undefined || a.day >= fromDay);
  const findings: TamperFinding[] = [];
  const push = (f: TamperFinding | undefined) => f && findings.push(f);
  push(verifyAnchors(anchors, before?.hash ?? GENESIS));
  if (options.kept)
    push(
      compareAnchors(
        allAnchors,
        options.kept.filter((k) => fromDay === undefined || k.day >= fromDay),
      ),
    );
  const newestAnchored = anchors.at(-1)?.day;
  const entries = new Map<string, ChainedEntry>();
  const skipped = new Set<string>();
  const summary: VerifySummary = {
    days: 0,
    entries: 0,
    anchors: anchors.length,
    purgedDays: 0,
    copies: copies.length,
  };
  for (const day of days) {
    summary.days += 1;
    if (day.anchor?.purged) {
      // A purge cut short: what is left of the day is on its way out, not evidence.
      summary.purgedDays += 1;
      day.rows.forEach((r) => skipped.add(r.entry.id));
      continue;
    }
    if (!day.anchor && newestAnchored !== undefined && day.day < newestAnchored && day.rows.length > 0)
      push({
        kind: "removed",
        day: day.day,
        message: `the anchor of ${day.day} is missing (later days are anchored)`,
      });
    push(verifyDay(day));
    summary.entries += day.rows.length;
    for (const row of day.rows) entries.set(row.entry.id, row);
  }
  const from = fromDay !== undefined ? Date.parse(`${fromDay}T00:00:00.000Z`) : -Infinity;
  push(
    verifyCopies(
      entries,
      copies.filter((c) => !skipped.has(c.entry.id)),
      (entry) => (Date.parse(entry.at) >= from ? chain.copiesOf(entry) : []),
    ),
  );
  const first = findings.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))[0];
  return first ? { ok: false, finding: first, summary } : { ok: true, summary };
}

/** One line per finding kind, naming the entry: what the command prints. */
export function describeFinding(f: TamperFinding): string {
  const where = f.entryId !== undefined ? ` entry ${f.entryId}` : "";
  const seq = f.seq !== undefined ? ` seq ${f.seq}` : "";
  return `${f.kind}: day ${f.day}${seq}${where}: ${f.message}`;
}
