import type { AuditDay } from "../../../domain/audit/chain";
import { moveChunk } from "./audit-entry-moves";
import { targetOf } from "./audit-chain-links";
import type { Row } from "./rows";
import type { MigrationStep } from "./step";
import { chunksOf, legacyDays } from "./unchained-audit-rows";

/**
 * Audit rows of the unchained layout (before the day chains): each entry in its day partition
 * `d|<day>` with the same row key as today but no `chainSeq`, `prevHash`, `hash`, and no head row.
 * Today's code reads them in queries but `verify` reports them, and the daily close seals and
 * anchors their day as if it were empty.
 *
 * The step chains them, oldest first, after the day's head:
 * - a day still open (not sealed, not anchored): in place. One transaction per ≤ 99 entries replaces
 *   each old row at the ETag read with the same row plus its link, and the head at its ETag. A row or
 *   head changed meanwhile (a live append, another run) fails the whole transaction: read again, retry.
 * - a day already closed: its anchor vouches for the chain as it was, so the entries go to the next
 *   open day after the newest anchor, where the audit writer sends any late entry. First the old
 *   rows are marked `movedTo: <day>` (at their ETag), then one transaction appends them there, then
 *   the old rows are deleted. A rerun finds a marked row, looks in the named day, and only deletes
 *   it if the entry is there: never appended twice.
 * Before chaining, the entries' query copies (`s|`, `u|`) are inserted where missing (the old writer
 * wrote them in separate transactions). docs/storage.md, "Migration".
 */
export const auditDayChains: MigrationStep = {
  name: "audit-chain",
  summary: "chains audit entries written before the day chains into their day (or the next open day)",
  async pending(ctx) {
    const client = ctx.table("audit");
    const detail: string[] = [];
    let rows = 0;
    for await (const { day, legacy, unreadable } of legacyDays(client)) {
      detail.push(...unreadable.map((r) => unreadableLine(r)));
      if (legacy.length === 0) continue;
      const target = await targetOf(client, day);
      rows += legacy.length;
      detail.push(
        `Audit d|${day}: ${legacy.length} unchained entr${legacy.length === 1 ? "y" : "ies"}, ` +
          (target.day === day ? "chained in place" : `day closed: appended to ${target.day}`),
      );
    }
    return { rows, detail };
  },
  async run(ctx) {
    const client = ctx.table("audit");
    let moved = 0;
    let left = 0;
    const detail: string[] = [];
    for await (const { day, legacy, unreadable } of legacyDays(client)) {
      left += unreadable.length;
      detail.push(...unreadable.map((r) => unreadableLine(r)));
      if (legacy.length === 0) continue;
      let inDay = 0;
      const targets = new Set<AuditDay>();
      for (const chunk of chunksOf(legacy)) {
        const done = await moveChunk(client, day, chunk);
        inDay += done.moved;
        done.targets.forEach((t) => targets.add(t));
      }
      moved += inDay;
      detail.push(
        `Audit d|${day}: ${inDay} chained ${[...targets].map((t) => (t === day ? "in place" : `into ${t}`)).join(", ")}`,
      );
    }
    return { moved, left, detail };
  },
};

const unreadableLine = (row: Row) =>
  `Audit ${String(row.partitionKey)} ${String(row.rowKey)}: holds no readable entry, left as it is (verify names it)`;
