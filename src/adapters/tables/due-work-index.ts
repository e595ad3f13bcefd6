import { odata, type TableClient, type TableEntityResult } from "@azure/data-tables";
import type { Instant } from "../../domain/model";
import type { DueItem, DueWorkIndex } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { PartitionWriter } from "./batches";
import { statusOf, tolerating } from "./errors";
import { canonicalTime, encodeKey } from "./keys";

type Row = TableEntityResult<Record<string, unknown>>;

/** The bucket directory: one row per hour bucket that may hold items, so sweeps skip empty hours. */
const BUCKETS = "buckets";
/** Hours remembered per instance; a forgotten hour is only touched again. */
const MAX_KNOWN_BUCKETS = 10_000;
/** Hour partitions read at once by a sweep. */
const PARALLEL_BUCKETS = 8;

function bucketOf(instant: Instant): string {
  return canonicalTime(instant).slice(0, 13); // "2026-11-23T10"
}

function partitionOf(bucket: string): string {
  return `due|${bucket}`;
}

function rowKeyOf(item: DueItem): string {
  return [
    canonicalTime(item.dueAt),
    item.kind,
    encodeKey(item.subjectId),
    encodeKey(item.discriminator),
  ].join("|");
}

function itemOf(row: Row): DueItem {
  return {
    dueAt: String(row.dueAt),
    kind: row.kind as DueItem["kind"],
    subjectId: String(row.subjectId),
    discriminator: String(row.discriminator),
    ...(typeof row.payload === "string" ? { payload: row.payload } : {}),
  };
}

export interface DueWorkOptions {
  /**
   * A bucket row touched by anyone this recently is never dropped by a sweep, even if its hour is
   * empty (default 10 minutes; measured against the row's service timestamp).
   */
  bucketGraceMs?: number;
  /**
   * How long this instance trusts that an hour it registered is still listed, and skips touching it
   * again (default 60 s; always at most half the grace, so a listed bucket cannot be dropped while
   * trusted, even with some clock skew between instances).
   */
  bucketMemoMs?: number;
  now?: () => number;
}

/**
 * Due-work table: items in hour partitions `due|<hour>` keyed `dueTime|kind|subject|discriminator`
 * (oldest first), claims as `owner`/`claimUntil` columns changed by ETag compare-and-swap, and a
 * `buckets` partition listing the hours that may still hold items.
 */
export class TableDueWorkIndex implements DueWorkIndex {
  private readonly writer: PartitionWriter;
  /** Hours this instance registered, and when it sent the touch (its own clock). */
  private readonly known = new Map<string, number>();
  private readonly graceMs: number;
  private readonly memoMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: TableClient,
    options: DueWorkOptions = {},
  ) {
    this.writer = new PartitionWriter(client);
    this.graceMs = options.bucketGraceMs ?? 10 * 60_000;
    this.memoMs = Math.min(options.bucketMemoMs ?? 60_000, this.graceMs / 2);
    this.now = options.now ?? Date.now;
  }

  /**
   * Items first, then the bucket rows this instance has not touched within its memo time: a sweep
   * that saw a bucket row's old ETag cannot drop it, and a bucket touched within the grace period is
   * not dropped at all, so a trusted memo always names a listed bucket.
   */
  async schedule(items: DueItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.writer.upsertAll(
      items.map((item) => ({
        partitionKey: partitionOf(bucketOf(item.dueAt)),
        rowKey: rowKeyOf(item),
        ...item,
      })),
      "Merge", // keeps a claim on an item scheduled again
    );
    const sentAt = this.now();
    const stale = [...new Set(items.map((item) => bucketOf(item.dueAt)))].filter((bucket) => {
      const touched = this.known.get(bucket);
      return touched === undefined || sentAt - touched >= this.memoMs;
    });
    if (stale.length === 0) return;
    await this.writer.upsertAll(
      stale.map((bucket) => ({ partitionKey: BUCKETS, rowKey: bucket, touchedAt: new Date(sentAt) })),
      "Replace",
    );
    for (const bucket of stale) this.known.set(bucket, sentAt);
    if (this.known.size > MAX_KNOWN_BUCKETS) this.known.delete(this.known.keys().next().value as string);
  }

  async listDue(until: Instant, limit: number): Promise<Versioned<DueItem>[]> {
    if (limit <= 0) return [];
    const untilMs = Date.parse(until);
    const untilBucket = bucketOf(until);
    const found: Versioned<DueItem>[] = [];
    const buckets: Row[] = [];
    const listed = this.client.listEntities<Row>({
      queryOptions: { filter: odata`PartitionKey eq ${BUCKETS} and RowKey le ${untilBucket}` },
    });
    for await (const bucket of listed) buckets.push(bucket);
    // Hours are read a few at a time in parallel (a backlog spans many hours, each one query), and
    // taken in order, so items still come out oldest first.
    for (let i = 0; i < buckets.length && found.length < limit; i += PARALLEL_BUCKETS) {
      const window = buckets.slice(i, i + PARALLEL_BUCKETS);
      const wanted = limit - found.length;
      const results = await Promise.all(
        window.map((b) => this.itemsDue(String(b.rowKey), canonicalTime(until), wanted, untilMs)),
      );
      for (const [j, rows] of results.entries()) {
        const bucket = window[j]!;
        if (rows.seen === 0 && String(bucket.rowKey) < untilBucket) await this.dropBucket(bucket);
        found.push(...rows.free);
      }
    }
    return found.slice(0, limit);
  }

  /** Rows of one bucket due by `untilIso` that no live claim holds; `seen` counts claimed ones too. */
  private async itemsDue(
    bucket: string,
    untilIso: string,
    wanted: number,
    untilMs: number,
  ): Promise<{ free: Versioned<DueItem>[]; seen: number }> {
    const free: Versioned<DueItem>[] = [];
    let seen = 0;
    const pages = this.client
      .listEntities<Record<string, unknown>>({
        // "~" sorts after "|": every row key starting with the until instant is included.
        queryOptions: {
          filter: odata`PartitionKey eq ${partitionOf(bucket)} and RowKey le ${untilIso + "~"}`,
        },
      })
      .byPage({ maxPageSize: Math.min(Math.max(wanted, 10), 1000) });
    for await (const page of pages) {
      for (const row of page) {
        seen += 1;
        const claimUntil = row.claimUntil === undefined ? undefined : Date.parse(String(row.claimUntil));
        if (claimUntil !== undefined && claimUntil > untilMs) continue;
        free.push({ value: itemOf(row), etag: row.etag });
        if (free.length >= wanted) return { free, seen };
      }
    }
    return { free, seen };
  }

  /**
   * Forgets an empty past bucket, unless a schedule touched its row since we read it (ETag) or within
   * the grace period (a scheduler may still trust its memo of it).
   */
  private async dropBucket(bucket: Row): Promise<void> {
    const touched = Date.parse(String(bucket.timestamp ?? ""));
    if (!(this.now() - touched >= this.graceMs)) return;
    this.known.delete(bucket.rowKey!);
    await tolerating([404, 412], () =>
      this.client.deleteEntity(BUCKETS, bucket.rowKey!, { etag: bucket.etag }),
    );
  }

  async claim(
    item: Versioned<DueItem>,
    owner: string,
    leaseUntil: Instant,
  ): Promise<Versioned<DueItem> | undefined> {
    const row = {
      partitionKey: partitionOf(bucketOf(item.value.dueAt)),
      rowKey: rowKeyOf(item.value),
      owner,
      claimUntil: canonicalTime(leaseUntil),
    };
    try {
      const { etag } = await this.client.updateEntity(row, "Merge", { etag: item.etag });
      return { value: { ...item.value }, etag: etag! };
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async remove(items: DueItem[]): Promise<void> {
    await Promise.all(
      items.map((item) =>
        tolerating([404], () => this.client.deleteEntity(partitionOf(bucketOf(item.dueAt)), rowKeyOf(item))),
      ),
    );
  }

  /** Removes the item unless it changed since `item` was read (then its new holder finishes it). */
  async complete(item: Versioned<DueItem>): Promise<void> {
    const partitionKey = partitionOf(bucketOf(item.value.dueAt));
    await tolerating([404, 412], () =>
      this.client.deleteEntity(partitionKey, rowKeyOf(item.value), { etag: item.etag }),
    );
  }
}
