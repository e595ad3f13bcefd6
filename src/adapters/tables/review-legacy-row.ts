import type { AccessReview, ReviewItem } from "../../domain/model";
import { planChunks } from "../shared/review-layout";
import { type Chunk, type Loaded, chunkOf } from "./review-row-layout";

/**
 * The old layout: the whole review, items included, as JSON in one `entity` row. It is read as it
 * is (one pseudo-chunk of every item) and moved to header and chunks by its first update.
 */
export function legacyLoaded(value: AccessReview, etag: string): Loaded {
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

/** First write of an old-layout review: all its items, updated by `given`, move to chunks. */
export function chunksFromLegacy(
  known: Loaded,
  given: Map<string, ReviewItem>,
  what: string,
): Map<number, Chunk> {
  const all = known.chunks.get(0)!.items.map((i) => given.get(i.assignmentId) ?? i);
  return new Map(
    planChunks(all).map((ps, n) => [
      n,
      chunkOf(
        ps,
        ps.map((p) => all[p]!),
        what,
      ),
    ]),
  );
}
