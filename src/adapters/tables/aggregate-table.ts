import { odata, type TableClient, type TableEntityResult } from "@azure/data-tables";
import { AlreadyExistsError, ConcurrencyError, type Versioned } from "../../ports/versioned";
import { PartitionWriter } from "./batches";
import { LaterDrops } from "./later-drops";
import { statusOf, tolerating } from "./errors";
import type { TurnsAnswering } from "../../ports/answers";
import { RememberedVersions } from "./remembered-versions";
import { type EntityRows, type ReadVersion, SingleRow } from "./entity-rows";

export type { EntityRows, ReadVersion };

/** Where an aggregate is listed: an index partition (per user, per package) and a row key in it. */
export interface IndexKey {
  partitionKey: string;
  rowKey: string;
}

/** Dropped index rows are deleted once no answer is being written (the bot's AnswersFirst). */
export interface AfterAnswers {
  afterAnswers?: TurnsAnswering;
}

export type Row = TableEntityResult<Record<string, unknown>>;

/** Which index rows an update adds and drops, when the caller knows better than a diff of the values. */
export interface IndexChange {
  added: IndexKey[];
  dropped: IndexKey[];
}

/** Row keys from `~` on are an index partition's own notes (e.g. an approver's groups), not pointers. */
export const NOTE_ROW_PREFIX = "~";
const CACHE_SIZE = 1000;

/**
 * One aggregate type in one table: the entity row (partition `e|<id>`) holds the JSON; index rows
 * (pointers holding the id) live in per-user / per-package partitions.
 *
 * Index rows are a superset of the truth: rows an update adds are written before the entity's
 * compare-and-swap, rows it drops are deleted after. A crash or a lost race can leave a stale row but
 * never a missing one; readers check each row against the entity and prune rows the entity has
 * since outgrown.
 */
export class AggregateTable<T extends { id: string; createdAt: string }> {
  /** Index keys by id+ETag as last read or written here, so an update knows which rows to drop. */
  private readonly seen = new Map<string, IndexKey[]>();
  /** Index rows of many aggregates share partitions (an approver, a package): written together. */
  private readonly writer: PartitionWriter;
  private readonly rows: EntityRows<T>;
  private readonly cacheSize: number;
  /** Index rows deleted after an update returned (and its answer is out). */
  private readonly drops: LaterDrops;
  private readonly listedBefore: (value: T, row: IndexKey) => boolean;
  /** Index rows written ahead of a create (`prepare`), by aggregate id, until it comes. */
  private readonly prepared = new Map<string, IndexKey[]>();
  /** The values themselves, for an aggregate a click decides on (`remembered`); off for large ones. */
  private readonly versions?: RememberedVersions<T>;

  constructor(
    private readonly client: TableClient,
    private readonly kind: string,
    private readonly indexKeys: (value: T) => IndexKey[],
    options: AfterAnswers & {
      rows?: EntityRows<T>;
      cacheSize?: number;
      /** A row of an earlier layout that still lists the value (read as live, never pruned). */
      listedBefore?: (value: T, row: IndexKey) => boolean;
      /** Keep the last version read or saved of each (see `remembered`). */
      remembersVersions?: boolean;
    } = {},
  ) {
    this.writer = new PartitionWriter(client);
    this.drops = new LaterDrops(this.writer, options.afterAnswers);
    this.rows = options.rows ?? new SingleRow<T>(client, kind);
    this.cacheSize = options.cacheSize ?? CACHE_SIZE;
    this.listedBefore = options.listedBefore ?? (() => false);
    if (options.remembersVersions) this.versions = new RememberedVersions<T>(this.cacheSize);
  }

  private remember(value: T, etag: string): void {
    this.seen.set(`${value.id}\n${etag}`, this.indexKeys(value));
    if (this.seen.size > this.cacheSize) this.seen.delete(this.seen.keys().next().value as string);
    this.versions?.remember(value, etag);
  }

  /** The version last read or saved here, without reading storage: possibly stale (see RequestStore). */
  remembered(id: string): Versioned<T> | undefined {
    return this.versions?.get(id);
  }

  async get(id: string): Promise<Versioned<T> | undefined> {
    const current = await this.read(id);
    return current && { value: current.value, etag: current.etag };
  }

  private async read(id: string): Promise<ReadVersion<T>> {
    const current = await this.rows.read(id);
    if (current) this.remember(current.value, current.etag);
    else this.versions?.forget(id);
    return current;
  }

  /**
   * Writes a coming create's index rows now, beside other work (a request's claim): the create then
   * writes only what is missing and the entity. Rows of a create that never comes are deleted by
   * `abandon`, or skipped and kept by readers if the process stops first (as after a crash).
   */
  async prepare(value: T): Promise<void> {
    const keys = this.indexKeys(value);
    await this.writeIndexRows(value.id, keys);
    this.prepared.set(value.id, keys);
  }

  async abandon(value: T): Promise<void> {
    const keys = this.prepared.get(value.id) ?? [];
    this.prepared.delete(value.id);
    await Promise.all(keys.map((k) => this.writer.delete(k)));
  }

  async create(value: T): Promise<string> {
    const keys = this.indexKeys(value);
    const prepared = this.prepared.get(value.id) ?? [];
    this.prepared.delete(value.id);
    await this.writeIndexRows(
      value.id,
      keys.filter((k) => !prepared.some((p) => p.partitionKey === k.partitionKey && p.rowKey === k.rowKey)),
    );
    try {
      const etag = await this.rows.insert(value);
      this.remember(value, etag);
      return etag;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      // The SDK retries a create whose answer was lost (a timeout, a 503 after storage stored it):
      // finding exactly what was sent is this create, done, not another one.
      const existing = await this.get(value.id);
      if (existing && JSON.stringify(existing.value) === JSON.stringify(value)) return existing.etag;
      await this.dropRowsNotListed(value, keys, existing);
      throw new AlreadyExistsError(`${this.kind} ${value.id}`);
    }
  }

  /**
   * A create that lost to an existing entity wrote index rows for its own value; the ones the
   * existing entity does not list would never be pruned (the entity is older than them): delete them.
   * Only when the two were created at different times: index row keys hold the creation time, so an
   * update of the existing entity, which may be about to add rows, never adds one of these.
   */
  private async dropRowsNotListed(
    value: T,
    written: IndexKey[],
    existing: Versioned<T> | undefined,
  ): Promise<void> {
    if (!existing || existing.value.createdAt === value.createdAt) return;
    const listed = this.indexKeys(existing.value);
    await Promise.all(
      written
        .filter((k) => !listed.some((o) => o.partitionKey === k.partitionKey && o.rowKey === k.rowKey))
        .map((k) => tolerating([404], () => this.client.deleteEntity(k.partitionKey, k.rowKey))),
    );
  }

  /**
   * Compare-and-swap on `etag`. `change` names the index rows to add and drop when the value is not
   * the whole aggregate (a review's header and some of its items): the diff is not made then. The
   * swap waits for `after` (the effects journal), written beside the added index rows.
   */
  async update(value: T, etag: string, change?: IndexChange, after?: Promise<void>): Promise<string> {
    const what = `${this.kind} ${value.id}`;
    const has = (keys: IndexKey[], k: IndexKey) =>
      keys.some((o) => o.partitionKey === k.partitionKey && o.rowKey === k.rowKey);
    let added = change?.added;
    let dropped = change?.dropped;
    if (!change) {
      const oldKeys =
        this.seen.get(`${value.id}\n${etag}`) ?? this.indexKeys(await this.readAt(value.id, etag));
      const newKeys = this.indexKeys(value);
      added = newKeys.filter((k) => !has(oldKeys, k));
      dropped = oldKeys.filter((k) => !has(newKeys, k));
    }
    // Rows an earlier update still had to drop: ours now, unless this value lists them again.
    const listed = change ? (added ?? []) : this.indexKeys(value);
    const carried = this.drops.takeOver(value.id).filter((k) => !has(listed, k));
    await Promise.all([this.writeIndexRows(value.id, added ?? []), after]);
    let next: string;
    try {
      next = await this.rows.replace(value, etag);
    } catch (error) {
      if (error instanceof ConcurrencyError || statusOf(error) === 412 || statusOf(error) === 404) {
        this.versions?.forget(value.id);
        throw error instanceof ConcurrencyError ? error : new ConcurrencyError(what);
      }
      throw error;
    }
    if (!change) this.remember(value, next);
    this.drops.schedule(value.id, [...carried, ...(dropped ?? []).filter((k) => !has(carried, k))]);
    return next;
  }

  /** The value at exactly `etag`; a different ETag means the caller lost a race. */
  private async readAt(id: string, etag: string): Promise<T> {
    const current = await this.get(id);
    if (!current || current.etag !== etag) throw new ConcurrencyError(`${this.kind} ${id}`);
    return current.value;
  }

  private async writeIndexRows(id: string, keys: IndexKey[]): Promise<void> {
    await this.writer.upsertAll(
      keys.map((k) => ({ ...k, ref: id })),
      "Replace",
    );
  }

  /**
   * The aggregates an index partition points at, in row-key order, each checked to still be listed
   * there (a stale row is skipped, and pruned). Note rows (row keys from `~`, after every pointer) go
   * to `onNote` when no limit ends the scan before them. `read` may read less than the whole
   * aggregate, as long as what it reads still yields the partition's own index key (a review read
   * for the reviewer whose rows these are).
   */
  async list(
    partitionKey: string,
    limit?: number,
    onNote?: (row: Row) => void,
    read: (id: string) => Promise<ReadVersion<T>> = (id) => this.read(id),
  ): Promise<T[]> {
    const found: T[] = [];
    const pageSize = Math.min(Math.max(limit ?? 100, 10), 1000);
    const pages = this.client
      .listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` },
      })
      .byPage({ maxPageSize: pageSize });
    for await (const page of pages) {
      const pointers = page.filter((row) => !String(row.rowKey).startsWith(NOTE_ROW_PREFIX));
      if (onNote) page.filter((row) => !pointers.includes(row)).forEach(onNote);
      const values = await Promise.all(pointers.map((row) => this.resolve(row, read)));
      for (const value of values) {
        if (value) found.push(value);
        if (limit !== undefined && found.length >= limit) return found;
      }
    }
    return found;
  }

  private async resolve(row: Row, read: (id: string) => Promise<ReadVersion<T>>): Promise<T | undefined> {
    const current = await read(String(row.ref));
    if (!current) return undefined; // a create still in flight, or one that failed: skip
    const at = { partitionKey: row.partitionKey!, rowKey: row.rowKey! };
    const listed =
      this.indexKeys(current.value).some(
        (k) => k.partitionKey === at.partitionKey && k.rowKey === at.rowKey,
      ) || this.listedBefore(current.value, at);
    if (listed) return current.value;
    // Prune only if the entity was written after the row (else an update may be about to make the
    // row true) and only at the row's ETag (else a writer has just renewed it).
    if (current.writtenAt > Date.parse(String(row.timestamp ?? ""))) {
      await tolerating([404, 412], () =>
        this.client.deleteEntity(row.partitionKey!, row.rowKey!, { etag: row.etag }),
      );
    }
    return undefined;
  }
}
