import type { AuditEntry } from "../model";
import {
  type AuditDay,
  type ChainHead,
  type ChainedEntry,
  type DayAnchor,
  GENESIS,
  anchorHash,
  entryHash,
  sameEntry,
} from "./chain";

export type TamperKind = "altered" | "removed" | "inserted" | "reordered";

/** The first thing that does not hold, named so an operator can find the row. */
export interface TamperFinding {
  kind: TamperKind;
  day: AuditDay;
  seq?: number;
  entryId?: string;
  message: string;
}

/** A day's chain as stored: its rows (any order), head and anchor. */
export interface StoredDay {
  day: AuditDay;
  rows: ChainedEntry[];
  head?: ChainHead;
  anchor?: DayAnchor;
}

const found = (kind: TamperKind, day: AuditDay, message: string, row?: ChainedEntry): TamperFinding => ({
  kind,
  day,
  ...(row ? { seq: row.seq, entryId: row.entry.id } : {}),
  message,
});

const selfValid = (row: ChainedEntry): boolean =>
  entryHash(row.prevHash, row.day, row.seq, row.entry) === row.hash;

/** The first break in one day's chain, walking it by seq; undefined when it holds. */
export function verifyDay(stored: StoredDay): TamperFinding | undefined {
  const { day } = stored;
  const rows = [...stored.rows].sort((a, b) => a.seq - b.seq);
  const maxSeq = rows.reduce((m, r) => Math.max(m, r.seq), 0);
  let prev = GENESIS;
  let expected = 1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const twins = rows.slice(i).filter((r) => r.seq === row.seq);
    if (twins.length > 1) {
      // Two rows claim one place: the one that links is the entry, the other was put there.
      const real = twins.find((r) => selfValid(r) && r.prevHash === prev && r.day === day);
      const forged = twins.find((r) => r !== real) ?? twins[1]!;
      return found(
        "inserted",
        day,
        `entry ${forged.entry.id} claims seq ${forged.seq}, which entry ${(real ?? twins[0]!).entry.id} holds`,
        forged,
      );
    }
    if (row.misplaced) return found("altered", day, row.misplaced, row);
    if (row.seq !== expected)
      return found(
        "removed",
        day,
        `entry seq ${expected} is missing (the next stored entry, ${row.entry.id}, has seq ${row.seq})`,
        { ...row, seq: expected },
      );
    if (row.day !== day || entryHash(row.prevHash, day, row.seq, row.entry) !== row.hash) {
      const was = reorderedFrom(row, day, maxSeq);
      return was !== undefined
        ? found(
            "reordered",
            day,
            `entry ${row.entry.id} was written as seq ${was}, now stands at seq ${row.seq}`,
            row,
          )
        : found("altered", day, `entry ${row.entry.id} (seq ${row.seq}) does not match its hash`, row);
    }
    if (row.prevHash !== prev)
      return found(
        "inserted",
        day,
        `entry ${row.entry.id} (seq ${row.seq}) does not follow entry seq ${row.seq - 1}`,
        row,
      );
    prev = row.hash;
    expected += 1;
  }
  const last = expected - 1;
  const head = stored.head;
  if (!head) {
    if (rows.length > 0)
      return found("removed", day, `the day's head row is missing (${last} entries stored)`);
  } else {
    if (head.seq < last) {
      const first = rows.find((r) => r.seq === head.seq + 1)!;
      return found(
        "inserted",
        day,
        `entry ${first.entry.id} (seq ${first.seq}) lies after the day's head (seq ${head.seq})`,
        first,
      );
    }
    if (head.seq > last)
      return {
        kind: "removed",
        day,
        seq: last + 1,
        message: `entries seq ${last + 1}-${head.seq} are missing (the head names ${head.seq})`,
      };
    if (head.hash !== prev)
      return found("altered", day, `the day's head (seq ${head.seq}) does not match its last entry`);
  }
  const anchor = stored.anchor;
  if (
    anchor &&
    !anchor.purged &&
    (anchor.seq !== (head?.seq ?? 0) || anchor.headHash !== (head?.hash ?? GENESIS))
  )
    return anchor.seq > (head?.seq ?? 0)
      ? {
          kind: "removed",
          day,
          seq: (head?.seq ?? 0) + 1,
          message: `the day's anchor names ${anchor.seq} entries, the chain holds ${head?.seq ?? 0}`,
        }
      : found(
          "altered",
          day,
          `the day's chain (seq ${head?.seq ?? 0}) no longer matches its anchor (seq ${anchor.seq})`,
        );
  return undefined;
}

/** The seq an entry's hash was made for, when another than where it stands: it was moved. */
function reorderedFrom(row: ChainedEntry, day: AuditDay, maxSeq: number): number | undefined {
  for (let seq = 1; seq <= maxSeq; seq++)
    if (seq !== row.seq && entryHash(row.prevHash, day, seq, row.entry) === row.hash) return seq;
  return undefined;
}

/**
 * The anchors, oldest first, chain from `before` (the anchor of the day before the first, GENESIS if
 * there is none); an anchor missing between two days is seen by the next one's `prevAnchor`.
 */
export function verifyAnchors(anchors: DayAnchor[], before = GENESIS): TamperFinding | undefined {
  let prev = before;
  for (const anchor of [...anchors].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))) {
    if (anchorHash(anchor.prevAnchor, anchor.day, anchor.seq, anchor.headHash) !== anchor.hash)
      return {
        kind: "altered",
        day: anchor.day,
        message: `the anchor of ${anchor.day} does not match its hash`,
      };
    if (anchor.prevAnchor !== prev)
      return {
        kind: "removed",
        day: anchor.day,
        message: `the anchor of ${anchor.day} does not follow the anchor before it (an anchored day was removed or its anchor changed)`,
      };
    prev = anchor.hash;
  }
  return undefined;
}

/** Anchors checked against a list kept outside storage: the first that differs or is gone. */
export function compareAnchors(
  stored: DayAnchor[],
  kept: { day: AuditDay; hash: string }[],
): TamperFinding | undefined {
  const byDay = new Map(stored.map((a) => [a.day, a]));
  for (const k of [...kept].sort((a, b) => (a.day < b.day ? -1 : 1))) {
    const anchor = byDay.get(k.day);
    if (!anchor)
      return { kind: "removed", day: k.day, message: `the anchor of ${k.day} exported earlier is gone` };
    if (anchor.hash !== k.hash)
      return {
        kind: "altered",
        day: k.day,
        message: `the anchor of ${k.day} differs from the one exported earlier`,
      };
  }
  return undefined;
}

/** A copy of an entry in a query partition (by subject or user): `where` names the partition. */
export interface IndexCopy {
  where: string;
  entry: AuditEntry;
}

/**
 * The query copies against the chain: a copy that differs from its entry was altered, one without an
 * entry was inserted, an entry without its copies lost them. `expected` says where an entry's copies live.
 */
export function verifyCopies(
  entries: Map<string, ChainedEntry>,
  copies: IndexCopy[],
  expected: (entry: AuditEntry) => string[],
): TamperFinding | undefined {
  const seen = new Set<string>();
  for (const copy of copies) {
    const chained = entries.get(copy.entry.id);
    const day = copy.entry.at.slice(0, 10);
    if (!chained)
      return {
        kind: "inserted",
        day,
        entryId: copy.entry.id,
        message: `entry ${copy.entry.id} in ${copy.where} is in no day's chain`,
      };
    if (!sameEntry(chained.entry, copy.entry))
      return found(
        "altered",
        chained.day,
        `the copy of entry ${copy.entry.id} in ${copy.where} differs from the chain`,
        chained,
      );
    seen.add(`${copy.where}\n${copy.entry.id}`);
  }
  for (const chained of entries.values())
    for (const where of expected(chained.entry))
      if (!seen.has(`${where}\n${chained.entry.id}`))
        return found(
          "removed",
          chained.day,
          `the copy of entry ${chained.entry.id} in ${where} is missing`,
          chained,
        );
  return undefined;
}
