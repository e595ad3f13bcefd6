import type { TransactionAction } from "@azure/data-tables";
import type { AccessReview, ReviewItem, UserId } from "../../domain/model";
import type { ReviewHeader } from "../shared/review-layout";
import { toStoredJson } from "../shared/stored-json";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { encodeKey } from "./keys";

/**
 * A review in its own partition `e|<id>` (docs/storage.md, "Reviews"):
 * - `entity`: the header (the review without its items) and the row keys of its item chunks, in
 *   order. Its ETag is the review's version: every write ends with a compare-and-swap on it.
 * - `c|<write>|<n>`: chunk n, written under a key no other write uses (copy on write), so a write
 *   that loses the race touches nothing a reader sees; replaced chunks are deleted after the swap.
 * - `x|<reviewer>|<n>`: "this reviewer has items in chunk n" (reviewers are only ever added, so the
 *   rows only grow): a decision reads the header, these rows and the reviewer's chunks.
 * The old layout (the whole review as JSON in `entity`, items included) is read as it is and moved
 * to this one by its first update (review-legacy-row.ts).
 */
export const HEADER = "entity";

export interface StoredHeader extends ReviewHeader {
  itemChunks?: string[];
  itemCount?: number;
  /** Only in the old layout. */
  items?: ReviewItem[];
}

export interface Chunk {
  positions: number[];
  items: ReviewItem[];
  json: string;
}

/** One version of a review as read here: the header and the chunks read (all, or a reviewer's). */
export interface Loaded {
  etag: string;
  chunkKeys: string[];
  itemCount: number;
  chunks: Map<number, Chunk>;
  /** The old layout: one pseudo-chunk of every item, nothing stored under chunk keys. */
  legacy: boolean;
  /** Every chunk was read (else those of `reviewers`). */
  whole: boolean;
  /** Reviewers all of whose items were read at this version. */
  reviewers: UserId[];
  /** The chunk of each item read, by assignment id (chunks never change members). */
  where: Map<string, number>;
}

export function whereOf(chunks: Map<number, Chunk>, into = new Map<string, number>()): Map<string, number> {
  for (const [n, chunk] of chunks) for (const item of chunk.items) into.set(item.assignmentId, n);
  return into;
}

const pad = (n: number) => String(n).padStart(5, "0");
export const chunkKey = (write: string, n: number) => `c|${write}|${pad(n)}`;
const reviewerKey = (reviewer: UserId, n: number) => `x|${encodeKey(reviewer)}|${pad(n)}`;
/** Where a reviewer's `x|` rows start; they end before this plus "~". */
export const reviewerPrefix = (reviewer: UserId) => `x|${encodeKey(reviewer)}|`;

export function chunkOf(positions: number[], items: ReviewItem[], what: string): Chunk {
  return { positions, items, json: toStoredJson(what, items) };
}

export function parseChunk(row: Record<string, unknown>): Chunk {
  const { p, items } = readJsonColumns<{ p: number[]; items: ReviewItem[] }>(row);
  return { positions: p, items, json: toStoredJson("review items", items) };
}

export function chunkColumns(id: string, chunk: Chunk): Record<string, string | number> {
  return jsonColumns(`review ${id} items`, { p: chunk.positions, items: chunk.items });
}

export function headerColumns(value: AccessReview, keys: string[], itemCount = value.items.length) {
  // `items: []` keeps the place of the items among the fields: a read gives back the same JSON.
  const stored: StoredHeader = { ...value, items: [], itemChunks: keys, itemCount };
  return jsonColumns(`review ${value.id}`, stored);
}

export function headerFrom(stored: StoredHeader): ReviewHeader {
  const { itemChunks: _c, itemCount: _n, ...header } = stored;
  return header;
}

/** `x|` rows for reviewers a chunk gained (all of them for a new chunk); existing ones stay. */
export function reviewerRows(
  partitionKey: string,
  chunks: Chunk[],
  old: Map<number, Chunk | undefined>,
  numbers?: number[],
): TransactionAction[] {
  const actions: TransactionAction[] = [];
  chunks.forEach((chunk, i) => {
    const had = new Set(old.get(i)?.items.flatMap((it) => it.reviewers) ?? []);
    const now = new Set(chunk.items.flatMap((it) => it.reviewers));
    for (const reviewer of now)
      if (!had.has(reviewer))
        actions.push([
          "upsert",
          { partitionKey, rowKey: reviewerKey(reviewer, numbers?.[i] ?? i) },
          "Replace",
        ]);
  });
  return actions;
}
