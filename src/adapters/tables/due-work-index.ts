import { odata, type TableClient, type TableEntityResult, type TransactionAction } from "@azure/data-tables";
import type { Instant } from "../../domain/model";
import type { DueItem, DueWorkIndex } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { MAX_BATCH_OPERATIONS, PartitionWriter } from "./batches";
import { statusOf, tolerating } from "./errors";
import { canonicalTime, encodeKey } from "./keys";
import { MAX_PROPERTY_CHARS, MAX_STORED_JSON_CHARS, StoredValueTooLargeError } from "../shared/stored-json";
import { textColumns } from "./json-columns";

type Row = TableEntityResult<Record<string, unknown>>;

/** Every item lives in this one partition, its row key starting with the due time. */
const DUE = "due";
/** The previous layout: items in hour partitions `due|<hour>`, listed by `buckets` rows. */
const LEGACY_BUCKETS = "buckets";
/** The previous layout never dropped an hour touched this recently (its instances trusted a memo). */
const LEGACY_GRACE_MS = 10 * 60_000;

function legacyPartitionOf(bucket: string): string {
  return `due|${bucket}`;
}

function legacyBucketOf(instant: Instant): string {
  return canonicalTime(instant).slice(0, 13); // "2026-11-23T10"
}

function rowKeyOf(item: DueItem): string {
  return [
    canonicalTime(item.dueAt),
    item.kind,
    encodeKey(item.subjectId),
    encodeKey(item.discriminator),
  ].join("|");
}

/**
 * A payload over `payload`, `payload1`, ... (`payloadParts` of them) of at most MAX_PROPERTY_CHARS
 * each, never splitting a surrogate pair: a batch's events can outgrow one property (a review's
 * journaled batch lists its reviewers). Throws before anything is sent when the row would not fit.
 */
function payloadColumns(item: DueItem): Record<string, string | number> {
  const { payload } = item;
  if (payload === undefined) return {};
  if (payload.length <= MAX_PROPERTY_CHARS) return { payload };
  if (payload.length > MAX_STORED_JSON_CHARS)
    throw new StoredValueTooLargeError(`due ${item.kind} ${item.discriminator}`, payload.length);
  return textColumns("payload", payload);
}

function payloadOf(row: Row): string | undefined {
  if (typeof row.payload !== "string") return undefined;
  const parts = typeof row.payloadParts === "number" ? row.payloadParts : 1;
  let payload = row.payload;
  for (let part = 1; part < parts; part += 1) payload += String(row[`payload${part}`] ?? "");
  return payload;
}

function itemOf(row: Row): DueItem {
  const payload = payloadOf(row);
  return {
    dueAt: String(row.dueAt),
    kind: row.kind as DueItem["kind"],
    subjectId: String(row.subjectId),
    discriminator: String(row.discriminator),
    ...(payload !== undefined ? { payload } : {}),
  };
}

/** The columns a row carries besides its keys (the item, and a claim if any). */
function columnsOf(row: Row): Record<string, unknown> {
  const { partitionKey: _p, rowKey: _r, etag: _e, timestamp: _t, ...rest } = row;
  return rest;
}

export interface DueWorkOptions {
  /**
   * How often this instance looks for items in the previous layout (hour partitions listed in
   * `buckets`) and moves them (default 10 minutes). Once moved, a look costs one empty query.
   */
  legacyCheckMs?: number;
  now?: () => number;
}

/**
 * Due-work table: every item in partition `due`, keyed `dueTime|kind|subject|discriminator`, so a
 * sweep is one range query `RowKey le '<until>~'` that returns the due rows oldest first and nothing
 * else (claimed rows under a live claim excepted). Claims are `owner`/`claimUntil` columns changed
 * by ETag compare-and-swap. Items of the previous layout are moved here on sight (`migrateLegacy`).
 */
export class TableDueWorkIndex implements DueWorkIndex {
  private readonly writer: PartitionWriter;
  private readonly legacyCheckMs: number;
  private readonly now: () => number;
  /** When this instance last found the previous layout empty (or moved it); -Infinity: never. */
  private legacyCheckedAt = -Infinity;
  private legacyCheck: Promise<boolean> | undefined;

  constructor(
    private readonly client: TableClient,
    options: DueWorkOptions = {},
  ) {
    this.writer = new PartitionWriter(client);
    this.legacyCheckMs = options.legacyCheckMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Merge upserts in the one partition: concurrent callers share transactions; a claim is kept. */
  async schedule(items: DueItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.writer.upsertAll(
      items.map((item) => {
        const { payload: _payload, ...fields } = item;
        return { partitionKey: DUE, rowKey: rowKeyOf(item), ...fields, ...payloadColumns(item) };
      }),
      "Merge",
    );
  }

  async listDue(until: Instant, limit: number): Promise<Versioned<DueItem>[]> {
    if (limit <= 0) return [];
    await this.legacyEmpty();
    const untilMs = Date.parse(until);
    const found: Versioned<DueItem>[] = [];
    const pages = this.client
      .listEntities<Record<string, unknown>>({
        // "~" sorts after "|": every row key starting with the until instant is included.
        queryOptions: { filter: odata`PartitionKey eq ${DUE} and RowKey le ${canonicalTime(until) + "~"}` },
      })
      .byPage({ maxPageSize: Math.min(Math.max(limit, 10), 1000) });
    for await (const page of pages) {
      for (const row of page) {
        const claimUntil = row.claimUntil === undefined ? undefined : Date.parse(String(row.claimUntil));
        if (claimUntil !== undefined && claimUntil > untilMs) continue;
        found.push({ value: itemOf(row as Row), etag: row.etag });
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  async claim(
    item: Versioned<DueItem>,
    owner: string,
    leaseUntil: Instant,
  ): Promise<Versioned<DueItem> | undefined> {
    const row = {
      partitionKey: DUE,
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

  /**
   * Deletes the items (through the writer: removals that meet in the one partition share a
   * transaction, in order with the upserts); while the previous layout holds rows, their old rows too.
   */
  async remove(items: DueItem[]): Promise<void> {
    const legacy = !(await this.legacyEmpty());
    await Promise.all(
      items.flatMap((item) => [
        this.writer.delete({ partitionKey: DUE, rowKey: rowKeyOf(item) }),
        ...(legacy
          ? [
              tolerating([404], () =>
                this.client.deleteEntity(legacyPartitionOf(legacyBucketOf(item.dueAt)), rowKeyOf(item)),
              ),
            ]
          : []),
      ]),
    );
  }

  /** Removes the item unless it changed since `item` was read (then its new holder finishes it). */
  async complete(item: Versioned<DueItem>): Promise<void> {
    await tolerating([404, 412], () =>
      this.client.deleteEntity(DUE, rowKeyOf(item.value), { etag: item.etag }),
    );
  }

  /**
   * True when the previous layout holds nothing, as far as this instance knows: looked at most once
   * per `legacyCheckMs`; when it holds rows, they are moved first (`migrateLegacy`).
   */
  private async legacyEmpty(): Promise<boolean> {
    if (this.now() - this.legacyCheckedAt < this.legacyCheckMs) return true;
    this.legacyCheck ??= this.migrateLegacy()
      .then((moved) => {
        if (moved.left === 0) this.legacyCheckedAt = this.now();
        return moved.left === 0;
      })
      // Storage refused part of the move: the sweep goes on with the new layout; a later look retries.
      .catch(() => false)
      .finally(() => {
        this.legacyCheck = undefined;
      });
    return this.legacyCheck;
  }

  /**
   * Moves every item of the previous layout (hour partitions listed in `buckets`) into `due`,
   * keeping its claim columns, then deletes the old rows at the ETag read and the hour's bucket row.
   * Idempotent and resumable: an item moved twice is one row (same row key, Merge); a row or bucket
   * changed meanwhile (an instance still on the previous layout) stays and is moved by a later look.
   * Returns how many items were moved and how many hours are still listed.
   */
  async migrateLegacy(): Promise<{ moved: number; left: number }> {
    const buckets: Row[] = [];
    const listed = this.client.listEntities<Row>({
      queryOptions: { filter: odata`PartitionKey eq ${LEGACY_BUCKETS}` },
    });
    for await (const bucket of listed) buckets.push(bucket);
    let moved = 0;
    let left = 0;
    for (const bucket of buckets) {
      const partition = legacyPartitionOf(String(bucket.rowKey));
      const rows: Row[] = [];
      const old = this.client.listEntities<Row>({
        queryOptions: { filter: odata`PartitionKey eq ${partition}` },
      });
      for await (const row of old) rows.push(row);
      let stays = false;
      for (let i = 0; i < rows.length; i += MAX_BATCH_OPERATIONS) {
        const chunk = rows.slice(i, i + MAX_BATCH_OPERATIONS);
        const copies: TransactionAction[] = chunk.map((row) => [
          "upsert",
          { partitionKey: DUE, rowKey: String(row.rowKey), ...columnsOf(row) },
          "Merge",
        ]);
        await this.client.submitTransaction(copies);
        // At the ETag read (a transaction's delete cannot be conditional): a row an instance still on
        // the previous layout changed meanwhile stays, and is moved by a later look.
        const changed = await Promise.all(
          chunk.map(async (row) => {
            try {
              await this.client.deleteEntity(partition, String(row.rowKey), { etag: row.etag });
              return false;
            } catch (error) {
              if (statusOf(error) === 404) return false;
              if (statusOf(error) === 412) return true;
              throw error;
            }
          }),
        );
        stays ||= changed.includes(true);
        moved += chunk.length;
      }
      // The hour stays listed while it may hold a row: one that changed during the move, or one an
      // instance on the previous layout wrote trusting its memo of the hour (touched within its grace).
      const touched = Date.parse(String(bucket.timestamp ?? ""));
      if (stays || !(this.now() - touched >= LEGACY_GRACE_MS)) {
        left += 1;
        continue;
      }
      try {
        await this.client.deleteEntity(LEGACY_BUCKETS, String(bucket.rowKey), { etag: bucket.etag });
      } catch (error) {
        if (statusOf(error) === 404) continue;
        if (statusOf(error) !== 412) throw error;
        left += 1; // touched since we read it: it may hold a new item
      }
    }
    return { moved, left };
  }
}
