import type { Versioned } from "../../ports/versioned";

/**
 * The version of each aggregate this process last read or saved, at most `size` of them (the one
 * remembered longest ago goes first). Kept as JSON, so a caller never shares objects with it. Another
 * instance may have saved since: a version from here is only a first attempt that a compare-and-swap
 * confirms.
 */
export class RememberedVersions<T extends { id: string }> {
  private readonly versions = new Map<string, { json: string; etag: string }>();

  constructor(private readonly size: number) {}

  remember(value: T, etag: string): void {
    this.versions.delete(value.id);
    this.versions.set(value.id, { json: JSON.stringify(value), etag });
    if (this.versions.size > this.size) this.versions.delete(this.versions.keys().next().value as string);
  }

  /** A compare-and-swap found the version stale: the next attempt reads. */
  forget(id: string): void {
    this.versions.delete(id);
  }

  get(id: string): Versioned<T> | undefined {
    const known = this.versions.get(id);
    return known && { value: JSON.parse(known.json) as T, etag: known.etag };
  }
}
