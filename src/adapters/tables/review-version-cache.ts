import { type Loaded, whereOf } from "./review-row-layout";

/** Versions kept per process: a 20,000-item review read whole holds ~25 MB here. */
const CACHE_SIZE = 4;

/**
 * The versions of reviews last read or written here, newest last: an update needs the chunks of
 * the version it replaces, and a decision reads only the reviewer's chunks.
 */
export class ReviewVersionCache {
  private readonly loaded = new Map<string, Loaded>();

  get(id: string): Loaded | undefined {
    return this.loaded.get(id);
  }

  /** Reads of one version for different reviewers add up: their chunks and reviewers are merged. */
  remember(id: string, loaded: Loaded): void {
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
}
