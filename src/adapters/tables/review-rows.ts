import { randomBytes } from "node:crypto";
import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import type { AccessReview, ReviewItem, UserId } from "../../domain/model";
import { ConcurrencyError, type Versioned } from "../../ports/versioned";
import { type ReviewHeader, planChunks, reviewedByAny } from "../shared/review-layout";
import { toStoredJson } from "../shared/stored-json";
import type { EntityRows } from "./aggregate-table";
import { MAX_BATCH_OPERATIONS } from "./batches";
import { statusOf, tolerating } from "./errors";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { encodeKey, key } from "./keys";

/**
 * A review in its own partition `e|<id>` (docs/storage.md, "Reviews"):
 * - `entity`: the header (the review without its items) and the row keys of its item chunks, in
 *   order. Its ETag is the review's version: every write ends with a compare-and-swap on it.
 * - `c|<write>|<n>`: chunk n, written under a key no other write uses (copy on write), so a write
 *   that loses the race touches nothing a reader sees; replaced chunks are deleted after the swap.
 * - `x|<reviewer>|<n>`: "this reviewer has items in chunk n" (reviewers are only ever added, so the
 *   rows only grow): a decision reads the header, these rows and the reviewer's chunks.
 * The old layout (the whole review as JSON in `entity`, items included) is read as it is and moved
 * to this one by its first update.
 */
const HEADER = "entity";
/** What one transaction may carry: 100 operations and 4 MiB; we keep well under the bytes. */
const MAX_BATCH_CHARS = 3_000_000;
/** Versions kept per process: a 20,000-item review read whole holds ~25 MB here. */
const CACHE_SIZE = 4;

interface StoredHeader extends ReviewHeader {
  itemChunks?: string[];
  itemCount?: number;
  /** Only in the old layout. */
  items?: ReviewItem[];
}

interface Chunk {
  positions: number[];
  items: ReviewItem[];
  json: string;
}

/** One version of a review as read here: the header and the chunks read (all, or a reviewer's). */
interface Loaded {
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

function whereOf(chunks: Map<number, Chunk>, into = new Map<string, number>()): Map<string, number> {
  for (const [n, chunk] of chunks) for (const item of chunk.items) into.set(item.assignmentId, n);
  return into;
}

type Entity = TransactionAction[1];

const pad = (n: number) => String(n).padStart(5, "0");
const chunkKey = (write: string, n: number) => `c|${write}|${pad(n)}`;
const reviewerKey = (reviewer: UserId, n: number) => `x|${encodeKey(reviewer)}|${pad(n)}`;
const sizeOf = (entity: Entity) =>
  Object.values(entity).reduce<number>((sum, v) => sum + (typeof v === "string" ? v.length * 1.3 : 16), 300);

function chunkOf(positions: number[], items: ReviewItem[], what: string): Chunk {
  return { positions, items, json: toStoredJson(what, items) };
}

export class ReviewRows implements EntityRows<AccessReview> {
  private readonly loaded = new Map<string, Loaded>();

  constructor(private readonly client: TableClient) {}

  /**
   * The version at `etag` as read here, holding every item of `value`. Reads of other versions in
   * between may have replaced this process's copy: the items' reviewers are read again (the same
   * version or a conflict), and the whole review if that is not enough.
   */
  private async known(value: AccessReview, etag: string): Promise<Loaded> {
    const holds = (known: Loaded | undefined) =>
      known?.etag === etag && value.items.every((i) => known.where.has(i.assignmentId));
    if (holds(this.loaded.get(value.id))) return this.loaded.get(value.id)!;
    const reviewers = [...new Set(value.items.flatMap((i) => i.reviewers))];
    const part = reviewers.length > 0 ? await this.readForReviewers(value.id, reviewers) : undefined;
    if (part && part.etag !== etag) throw new ConcurrencyError(`review ${value.id}`);
    if (holds(this.loaded.get(value.id))) return this.loaded.get(value.id)!;
    const current = await this.read(value.id);
    if (!current || current.etag !== etag) throw new ConcurrencyError(`review ${value.id}`);
    return this.loaded.get(value.id)!;
  }

  /**
   * For an update of `value` at `etag`: "whole" when it carries every item; else the reviewers all
   * of whose items it carries and none undecided (their index rows may go).
   */
  async finishedReviewers(value: AccessReview, etag: string): Promise<"whole" | UserId[]> {
    const known = await this.known(value, etag);
    if (value.items.length === known.itemCount) return "whole";
    const carried = new Set(value.items.map((i) => i.assignmentId));
    // Candidates: the value's reviewers whose items were all read, none of those carried undecided.
    const candidates = new Set(
      value.items.flatMap((i) => i.reviewers).filter((r) => known.whole || known.reviewers.includes(r)),
    );
    for (const item of value.items) if (!item.decision) item.reviewers.forEach((r) => candidates.delete(r));
    if (candidates.size === 0) return [];
    // ... and none left out of the value.
    for (const chunk of known.chunks.values())
      for (const item of chunk.items)
        if (!carried.has(item.assignmentId)) item.reviewers.forEach((r) => candidates.delete(r));
    return [...candidates];
  }

  /** Reads of one version for different reviewers add up: their chunks and reviewers are merged. */
  private remember(id: string, loaded: Loaded): void {
    const earlier = this.loaded.get(id);
    if (earlier?.etag === loaded.etag && !loaded.whole) {
      // A whole read holds every chunk already; reads for reviewers add theirs (same version, same rows).
      const chunks = earlier.whole ? earlier.chunks : new Map([...earlier.chunks, ...loaded.chunks]);
      loaded = {
        ...earlier,
        chunks,
        where: earlier.whole ? earlier.where : whereOf(loaded.chunks, earlier.where),
        reviewers: [...new Set([...earlier.reviewers, ...loaded.reviewers])],
      };
    }
    this.loaded.delete(id);
    this.loaded.set(id, loaded);
    if (this.loaded.size > CACHE_SIZE) this.loaded.delete(this.loaded.keys().next().value as string);
  }

  async read(id: string): Promise<(Versioned<AccessReview> & { writtenAt: number }) | undefined> {
    // A query over several pages is no snapshot: a chunk the header names may be gone by the time
    // its page is read (a write swapped it). Read again; it settles as soon as no write is between.
    for (let attempt = 1; ; attempt += 1) {
      const found = await this.readWhole(id);
      if (found !== "torn") return found;
      if (attempt >= 5) throw new ConcurrencyError(`review ${id} (changing while read)`);
    }
  }

  private async readWhole(
    id: string,
  ): Promise<(Versioned<AccessReview> & { writtenAt: number }) | undefined | "torn"> {
    const partitionKey = key("e", id);
    const rows = new Map<string, Record<string, unknown> & { etag: string; timestamp?: string }>();
    const pages = this.client
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
      this.remember(id, this.legacyLoaded(value, head.etag));
      return { value, etag: head.etag, writtenAt };
    }
    const items: ReviewItem[] = new Array<ReviewItem>(stored.itemCount ?? 0);
    const chunks = new Map<number, Chunk>();
    for (const [n, rowKey] of stored.itemChunks.entries()) {
      const row = rows.get(rowKey);
      if (!row) return "torn";
      const chunk = this.parseChunk(row);
      chunk.positions.forEach((p, i) => (items[p] = chunk.items[i]!));
      chunks.set(n, chunk);
    }
    await this.dropOrphans(partitionKey, rows, new Set(stored.itemChunks), writtenAt);
    this.remember(id, {
      etag: head.etag,
      chunkKeys: stored.itemChunks,
      itemCount: items.length,
      chunks,
      legacy: false,
      whole: true,
      reviewers: [],
      where: whereOf(chunks),
    });
    return { value: { ...this.headerFrom(stored), items }, etag: head.etag, writtenAt };
  }

  /** The review with the items these people review; reads the header, their `x|` rows, their chunks. */
  async readForReviewers(id: string, reviewerIds: UserId[]): Promise<Versioned<AccessReview> | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const head = await tolerating([404], () =>
        this.client.getEntity<Record<string, unknown>>(key("e", id), HEADER),
      );
      if (!head) return undefined;
      const stored = readJsonColumns<StoredHeader>(head);
      if (!stored.itemChunks) {
        const value = stored as AccessReview;
        this.remember(id, { ...this.legacyLoaded(value, head.etag), reviewers: reviewerIds });
        return {
          value: { ...value, items: value.items.filter((i) => reviewedByAny(i, reviewerIds)) },
          etag: head.etag,
        };
      }
      const numbers = new Set((await Promise.all(reviewerIds.map((r) => this.chunksOf(id, r)))).flat());
      const rows = await Promise.all(
        [...numbers].map(async (n) => {
          const rowKey = stored.itemChunks![n];
          const row = rowKey
            ? await tolerating([404], () =>
                this.client.getEntity<Record<string, unknown>>(key("e", id), rowKey),
              )
            : undefined;
          return [n, row] as const;
        }),
      );
      // A chunk gone: a write swapped it after the header was read. Read again.
      if (rows.some(([, row]) => !row)) {
        if (attempt >= 5) throw new ConcurrencyError(`review ${id} (changing while read)`);
        continue;
      }
      const chunks = new Map<number, Chunk>(rows.map(([n, row]) => [n, this.parseChunk(row!)]));
      const mine: { position: number; item: ReviewItem }[] = [];
      for (const chunk of chunks.values())
        chunk.items.forEach((item, i) => {
          if (reviewedByAny(item, reviewerIds)) mine.push({ position: chunk.positions[i]!, item });
        });
      mine.sort((a, b) => a.position - b.position);
      this.remember(id, {
        etag: head.etag,
        chunkKeys: stored.itemChunks,
        itemCount: stored.itemCount ?? 0,
        chunks,
        legacy: false,
        whole: false,
        reviewers: reviewerIds,
        where: whereOf(chunks),
      });
      return { value: { ...this.headerFrom(stored), items: mine.map((m) => m.item) }, etag: head.etag };
    }
  }

  private async chunksOf(id: string, reviewer: UserId): Promise<number[]> {
    const prefix = `x|${encodeKey(reviewer)}|`;
    const found: number[] = [];
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${key("e", id)} and RowKey gt ${prefix} and RowKey lt ${prefix + "~"}`,
        select: ["RowKey"],
      },
    });
    for await (const row of rows) found.push(Number(row.rowKey!.slice(prefix.length)));
    return found;
  }

  async insert(value: AccessReview): Promise<string> {
    const write = randomBytes(6).toString("hex");
    const plan = planChunks(value.items);
    const chunks = plan.map((positions) =>
      chunkOf(
        positions,
        positions.map((p) => value.items[p]!),
        `review ${value.id} items`,
      ),
    );
    const keys = chunks.map((_, n) => chunkKey(write, n));
    const partitionKey = key("e", value.id);
    const before: TransactionAction[] = [
      ...chunks.map(
        (c, n): TransactionAction => [
          "create",
          { partitionKey, rowKey: keys[n]!, ...this.chunkColumns(value.id, c) },
        ],
      ),
      ...this.reviewerRows(partitionKey, chunks, new Map()),
    ];
    const header = { partitionKey, rowKey: HEADER, ...this.headerColumns(value, keys) };
    let etag: string;
    try {
      etag = await this.commit(before, ["create", header], []);
    } catch (error) {
      // Lost to an existing review: drop what this create wrote unless that review is this very write.
      if (statusOf(error) === 409) {
        const head = await tolerating([404], () =>
          this.client.getEntity<Record<string, unknown>>(partitionKey, HEADER),
        );
        const theirs = head ? (readJsonColumns<StoredHeader>(head).itemChunks ?? []) : [];
        if (!theirs.includes(keys[0]!)) await this.deleteRows(partitionKey, keys);
      }
      throw error;
    }
    this.remember(value.id, {
      etag,
      chunkKeys: keys,
      itemCount: value.items.length,
      chunks: new Map(chunks.map((c, n) => [n, c])),
      legacy: false,
      whole: true,
      reviewers: [],
      where: whereOf(new Map(chunks.map((c, n) => [n, c]))),
    });
    return etag;
  }

  async replace(value: AccessReview, etag: string): Promise<string> {
    const known = await this.known(value, etag);
    const given = new Map(value.items.map((i) => [i.assignmentId, i]));
    if ([...given.keys()].some((id) => !known.where.has(id)))
      throw new Error(`review ${value.id}: an update carries an item the review does not have`);
    const partitionKey = key("e", value.id);
    const write = randomBytes(6).toString("hex");
    const what = `review ${value.id} items`;
    let next: Map<number, Chunk>;
    let changed: number[];
    if (known.legacy) {
      // First write of an old-layout review: all its items move to chunks.
      const all = known.chunks.get(0)!.items.map((i) => given.get(i.assignmentId) ?? i);
      next = new Map(
        planChunks(all).map((ps, n) => [
          n,
          chunkOf(
            ps,
            ps.map((p) => all[p]!),
            what,
          ),
        ]),
      );
      changed = [...next.keys()];
    } else {
      next = new Map(known.chunks);
      changed = [];
      // `known` holds every item of the value (known()); only their chunks are looked at.
      const touched = new Set([...given.keys()].map((id) => known.where.get(id)!));
      for (const n of touched) {
        const chunk = known.chunks.get(n)!;
        const items = chunk.items.map((i) => given.get(i.assignmentId) ?? i);
        const updated = chunkOf(chunk.positions, items, what);
        if (updated.json !== chunk.json) {
          next.set(n, updated);
          changed.push(n);
        }
      }
    }
    const keys = known.legacy ? [...next.keys()].map((n) => chunkKey(write, n)) : [...known.chunkKeys];
    if (!known.legacy) for (const n of changed) keys[n] = chunkKey(write, n);
    const created = changed.map((n) => keys[n]!);
    const before: TransactionAction[] = [
      ...changed.map(
        (n): TransactionAction => [
          "create",
          { partitionKey, rowKey: keys[n]!, ...this.chunkColumns(value.id, next.get(n)!) },
        ],
      ),
      ...this.reviewerRows(
        partitionKey,
        changed.map((n) => next.get(n)!),
        new Map(changed.map((n, i) => [i, known.legacy ? undefined : known.chunks.get(n)])),
        changed,
      ),
    ];
    const replaced = known.legacy ? [] : changed.map((n) => known.chunkKeys[n]!);
    const header = { partitionKey, rowKey: HEADER, ...this.headerColumns(value, keys, known.itemCount) };
    let nextEtag: string;
    try {
      nextEtag = await this.commit(before, ["update", header, "Replace", { etag }], replaced, created);
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404)
        throw new ConcurrencyError(`review ${value.id}`);
      throw error;
    }
    this.remember(value.id, {
      etag: nextEtag,
      chunkKeys: keys,
      itemCount: known.itemCount,
      chunks: next,
      legacy: false,
      whole: known.whole,
      // What was read of the version before is no claim about this one's other chunks' readers.
      reviewers: [],
      where: known.legacy ? whereOf(next) : known.where,
    });
    return nextEtag;
  }

  /**
   * Writes `before`, then the header (the commit point), then deletes `after`: in one transaction
   * when it fits, else the rows first in transactions of their own and the header alone. A header
   * that loses its compare-and-swap leaves the rows written for it: they are deleted (`created`).
   */
  private async commit(
    before: TransactionAction[],
    header: TransactionAction,
    after: string[],
    created: string[] = [],
  ): Promise<string> {
    const partitionKey = header[1].partitionKey!;
    const deletes = after.map((rowKey): TransactionAction => ["delete", { partitionKey, rowKey }]);
    const all = [...before, header, ...deletes];
    if (all.length <= MAX_BATCH_OPERATIONS && all.reduce((s, a) => s + sizeOf(a[1]), 0) <= MAX_BATCH_CHARS) {
      const answer = await this.client.submitTransaction(all);
      const index = before.length;
      return answer.subResponses[index]!.etag!;
    }
    await this.submitAll(before);
    let etag: string;
    try {
      etag =
        header[0] === "create"
          ? (await this.client.createEntity(header[1])).etag!
          : (
              await this.client.updateEntity(header[1], "Replace", {
                etag: (header[3] as { etag: string }).etag,
              })
            ).etag!;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) await this.deleteRows(partitionKey, created);
      throw error;
    }
    await this.deleteRows(partitionKey, after).catch(() => undefined); // left ones are orphans: dropped on a later read
    return etag;
  }

  private async submitAll(actions: TransactionAction[]): Promise<void> {
    let batch: TransactionAction[] = [];
    let chars = 0;
    const flush = async () => {
      if (batch.length > 0) await this.client.submitTransaction(batch);
      batch = [];
      chars = 0;
    };
    for (const action of actions) {
      const size = sizeOf(action[1]);
      if (batch.length >= MAX_BATCH_OPERATIONS || chars + size > MAX_BATCH_CHARS) await flush();
      batch.push(action);
      chars += size;
    }
    await flush();
  }

  private async deleteRows(partitionKey: string, rowKeys: string[]): Promise<void> {
    const actions = rowKeys.map((rowKey): TransactionAction => ["delete", { partitionKey, rowKey }]);
    for (let start = 0; start < actions.length; start += MAX_BATCH_OPERATIONS) {
      const batch = actions.slice(start, start + MAX_BATCH_OPERATIONS);
      await tolerating([404], async () => {
        if (batch.length === 1) await this.client.deleteEntity(partitionKey, batch[0]![1].rowKey!);
        else await this.client.submitTransaction(batch);
      }).catch(() =>
        Promise.all(
          batch.map((a) => tolerating([404], () => this.client.deleteEntity(partitionKey, a[1].rowKey!))),
        ),
      );
    }
  }

  /** `x|` rows for reviewers a chunk gained (all of them for a new chunk); existing ones stay. */
  private reviewerRows(
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

  /** Unreferenced chunks older than the header: left by a write that lost or crashed. */
  private async dropOrphans(
    partitionKey: string,
    rows: Map<string, { timestamp?: string }>,
    referenced: Set<string>,
    headerAt: number,
  ): Promise<void> {
    const orphans = [...rows.entries()]
      .filter(([rowKey]) => rowKey.startsWith("c|") && !referenced.has(rowKey))
      .filter(([, row]) => Date.parse(String(row.timestamp ?? "")) < headerAt)
      .map(([rowKey]) => rowKey);
    if (orphans.length > 0) await this.deleteRows(partitionKey, orphans).catch(() => undefined);
  }

  private legacyLoaded(value: AccessReview, etag: string): Loaded {
    const positions = value.items.map((_, i) => i);
    return {
      etag,
      chunkKeys: [],
      itemCount: value.items.length,
      chunks: new Map([[0, { positions, items: value.items, json: "" }]]),
      legacy: true,
      whole: true,
      reviewers: [],
      where: new Map(value.items.map((i) => [i.assignmentId, 0])),
    };
  }

  private parseChunk(row: Record<string, unknown>): Chunk {
    const { p, items } = readJsonColumns<{ p: number[]; items: ReviewItem[] }>(row);
    return { positions: p, items, json: toStoredJson("review items", items) };
  }

  private chunkColumns(id: string, chunk: Chunk): Record<string, string | number> {
    return jsonColumns(`review ${id} items`, { p: chunk.positions, items: chunk.items });
  }

  private headerColumns(value: AccessReview, keys: string[], itemCount = value.items.length) {
    // `items: []` keeps the place of the items among the fields: a read gives back the same JSON.
    const stored: StoredHeader = { ...value, items: [], itemChunks: keys, itemCount };
    return jsonColumns(`review ${value.id}`, stored);
  }

  private headerFrom(stored: StoredHeader): ReviewHeader {
    const { itemChunks: _c, itemCount: _n, ...header } = stored;
    return header;
  }
}
