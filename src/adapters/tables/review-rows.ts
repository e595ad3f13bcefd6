import { randomBytes } from "node:crypto";
import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { AccessReview, UserId } from "../../domain/model";
import { ConcurrencyError } from "../../ports/versioned";
import { planChunks } from "../shared/review-layout";
import type { EntityRows, ReadVersion } from "./entity-rows";
import { statusOf, tolerating } from "./errors";
import { readJsonColumns } from "./json-columns";
import { key } from "./keys";
import { chunksFromLegacy } from "./review-legacy-row";
import { commitReviewWrite, deleteRows } from "./review-row-commit";
import {
  type Chunk,
  HEADER,
  type Loaded,
  type StoredHeader,
  chunkColumns,
  chunkKey,
  chunkOf,
  headerColumns,
  reviewerRows,
  whereOf,
} from "./review-row-layout";
import { readReviewForReviewers, readWholeReview } from "./review-row-reads";
import { ReviewVersionCache } from "./review-version-cache";

/**
 * A review stored as a header row and chunks of item rows in its partition `e|<id>`
 * (review-row-layout.ts): reads of the whole review or of one reviewer's items, and updates that
 * rewrite only the chunks whose items changed, committed by a compare-and-swap on the header.
 */
export class ReviewRows implements EntityRows<AccessReview> {
  private readonly loaded = new ReviewVersionCache();

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

  read(id: string): Promise<ReadVersion<AccessReview>> {
    return readWholeReview(this.client, this.loaded, id);
  }

  /** The review with the items these people review; reads the header, their `x|` rows, their chunks. */
  readForReviewers(id: string, reviewerIds: UserId[]): Promise<ReadVersion<AccessReview>> {
    return readReviewForReviewers(this.client, this.loaded, id, reviewerIds);
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
          { partitionKey, rowKey: keys[n]!, ...chunkColumns(value.id, c) },
        ],
      ),
      ...reviewerRows(partitionKey, chunks, new Map()),
    ];
    const header = { partitionKey, rowKey: HEADER, ...headerColumns(value, keys) };
    let etag: string;
    try {
      etag = await commitReviewWrite(this.client, before, ["create", header], []);
    } catch (error) {
      // Lost to an existing review: drop what this create wrote unless that review is this very write.
      if (statusOf(error) === 409) {
        const head = await tolerating([404], () =>
          this.client.getEntity<Record<string, unknown>>(partitionKey, HEADER),
        );
        const theirs = head ? (readJsonColumns<StoredHeader>(head).itemChunks ?? []) : [];
        if (!theirs.includes(keys[0]!)) await deleteRows(this.client, partitionKey, keys);
      }
      throw error;
    }
    this.loaded.remember(value.id, {
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
      next = chunksFromLegacy(known, given, what);
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
          { partitionKey, rowKey: keys[n]!, ...chunkColumns(value.id, next.get(n)!) },
        ],
      ),
      ...reviewerRows(
        partitionKey,
        changed.map((n) => next.get(n)!),
        new Map(changed.map((n, i) => [i, known.legacy ? undefined : known.chunks.get(n)])),
        changed,
      ),
    ];
    const replaced = known.legacy ? [] : changed.map((n) => known.chunkKeys[n]!);
    const header = { partitionKey, rowKey: HEADER, ...headerColumns(value, keys, known.itemCount) };
    let nextEtag: string;
    try {
      nextEtag = await commitReviewWrite(
        this.client,
        before,
        ["update", header, "Replace", { etag }],
        replaced,
        created,
      );
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404)
        throw new ConcurrencyError(`review ${value.id}`);
      throw error;
    }
    this.loaded.remember(value.id, {
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
}
