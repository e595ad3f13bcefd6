import { odata, type TableClient } from "@azure/data-tables";
import type { AccessReview, ReviewItem, UserId } from "../../domain/model";
import { ConcurrencyError, type Versioned } from "../../ports/versioned";
import { reviewedByAny } from "../shared/review-layout";
import type { ReadVersion } from "./entity-rows";
import { tolerating } from "./errors";
import { readJsonColumns } from "./json-columns";
import { key } from "./keys";
import { legacyLoaded } from "./review-legacy-row";
import { dropOrphans } from "./review-row-commit";
import {
  type Chunk,
  HEADER,
  type StoredHeader,
  headerFrom,
  parseChunk,
  reviewerPrefix,
  whereOf,
} from "./review-row-layout";
import type { ReviewVersionCache } from "./review-version-cache";

/** Each read remembers the version it saw in `cache`: a later update of that version builds on it. */
export async function readWholeReview(
  client: TableClient,
  cache: ReviewVersionCache,
  id: string,
): Promise<ReadVersion<AccessReview>> {
  // A query over several pages is no snapshot: a chunk the header names may be gone by the time
  // its page is read (a write swapped it). Read again; it settles as soon as no write is between.
  for (let attempt = 1; ; attempt += 1) {
    const found = await readWholeOnce(client, cache, id);
    if (found !== "torn") return found;
    if (attempt >= 5) throw new ConcurrencyError(`review ${id} (changing while read)`);
  }
}

async function readWholeOnce(
  client: TableClient,
  cache: ReviewVersionCache,
  id: string,
): Promise<(Versioned<AccessReview> & { writtenAt: number }) | undefined | "torn"> {
  const partitionKey = key("e", id);
  const rows = new Map<string, Record<string, unknown> & { etag: string; timestamp?: string }>();
  const pages = client
    .listEntities<
      Record<string, unknown>
    >({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })
    .byPage({ maxPageSize: 1000 });
  for await (const page of pages)
    for (const row of page) if (!row.rowKey!.startsWith("x|")) rows.set(row.rowKey!, row);
  const head = rows.get(HEADER);
  if (!head) return undefined;
  const writtenAt = Date.parse(String(head.timestamp ?? ""));
  const stored = readJsonColumns<StoredHeader>(head);
  if (!stored.itemChunks) {
    const value = stored as AccessReview;
    cache.remember(id, legacyLoaded(value, head.etag));
    return { value, etag: head.etag, writtenAt };
  }
  const items: ReviewItem[] = new Array<ReviewItem>(stored.itemCount ?? 0);
  const chunks = new Map<number, Chunk>();
  for (const [n, rowKey] of stored.itemChunks.entries()) {
    const row = rows.get(rowKey);
    if (!row) return "torn";
    const chunk = parseChunk(row);
    chunk.positions.forEach((p, i) => (items[p] = chunk.items[i]!));
    chunks.set(n, chunk);
  }
  await dropOrphans(client, partitionKey, rows, new Set(stored.itemChunks), writtenAt);
  cache.remember(id, {
    etag: head.etag,
    chunkKeys: stored.itemChunks,
    itemCount: items.length,
    chunks,
    legacy: false,
    whole: true,
    reviewers: [],
    where: whereOf(chunks),
  });
  return { value: { ...headerFrom(stored), items }, etag: head.etag, writtenAt };
}

/** The review with the items these people review; reads the header, their `x|` rows, their chunks. */
export async function readReviewForReviewers(
  client: TableClient,
  cache: ReviewVersionCache,
  id: string,
  reviewerIds: UserId[],
): Promise<ReadVersion<AccessReview>> {
  for (let attempt = 1; ; attempt += 1) {
    const head = await tolerating([404], () =>
      client.getEntity<Record<string, unknown>>(key("e", id), HEADER),
    );
    if (!head) return undefined;
    const stored = readJsonColumns<StoredHeader>(head);
    const writtenAt = Date.parse(String(head.timestamp ?? ""));
    if (!stored.itemChunks) {
      const value = stored as AccessReview;
      cache.remember(id, { ...legacyLoaded(value, head.etag), reviewers: reviewerIds });
      return {
        value: { ...value, items: value.items.filter((i) => reviewedByAny(i, reviewerIds)) },
        etag: head.etag,
        writtenAt,
      };
    }
    const numbers = new Set((await Promise.all(reviewerIds.map((r) => chunksOf(client, id, r)))).flat());
    const rows = await Promise.all(
      [...numbers].map(async (n) => {
        const rowKey = stored.itemChunks![n];
        const row = rowKey
          ? await tolerating([404], () => client.getEntity<Record<string, unknown>>(key("e", id), rowKey))
          : undefined;
        return [n, row] as const;
      }),
    );
    // A chunk gone: a write swapped it after the header was read. Read again.
    if (rows.some(([, row]) => !row)) {
      if (attempt >= 5) throw new ConcurrencyError(`review ${id} (changing while read)`);
      continue;
    }
    const chunks = new Map<number, Chunk>(rows.map(([n, row]) => [n, parseChunk(row!)]));
    const mine: { position: number; item: ReviewItem }[] = [];
    for (const chunk of chunks.values())
      chunk.items.forEach((item, i) => {
        if (reviewedByAny(item, reviewerIds)) mine.push({ position: chunk.positions[i]!, item });
      });
    mine.sort((a, b) => a.position - b.position);
    cache.remember(id, {
      etag: head.etag,
      chunkKeys: stored.itemChunks,
      itemCount: stored.itemCount ?? 0,
      chunks,
      legacy: false,
      whole: false,
      reviewers: reviewerIds,
      where: whereOf(chunks),
    });
    return { value: { ...headerFrom(stored), items: mine.map((m) => m.item) }, etag: head.etag, writtenAt };
  }
}

/** The numbers of the chunks holding items of `reviewer`, from their `x|` rows. */
async function chunksOf(client: TableClient, id: string, reviewer: UserId): Promise<number[]> {
  const prefix = reviewerPrefix(reviewer);
  const found: number[] = [];
  const rows = client.listEntities<Record<string, unknown>>({
    queryOptions: {
      filter: odata`PartitionKey eq ${key("e", id)} and RowKey gt ${prefix} and RowKey lt ${prefix + "~"}`,
      select: ["RowKey"],
    },
  });
  for await (const row of rows) found.push(Number(row.rowKey!.slice(prefix.length)));
  return found;
}
