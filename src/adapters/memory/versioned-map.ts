import { AlreadyExistsError, ConcurrencyError, type Versioned } from "../../ports/versioned";
import { toStoredJson } from "../shared/stored-json";

let etagCounter = 0;

/** A fresh opaque ETag, unique across every memory store of the process. */
export function nextEtag(): string {
  etagCounter += 1;
  return `W/"mem-${etagCounter}"`;
}

/**
 * Values kept as JSON with an ETag per key: reads and writes never share objects with callers, and
 * updates are compare-and-swap exactly like Table Storage (stale ETag or vanished row: conflict).
 */
export class VersionedMap<T> {
  private readonly rows = new Map<string, { json: string; etag: string }>();

  constructor(private readonly kind: string) {}

  get(key: string): Versioned<T> | undefined {
    const row = this.rows.get(key);
    return row ? { value: JSON.parse(row.json) as T, etag: row.etag } : undefined;
  }

  create(key: string, value: T): string {
    const json = toStoredJson(`${this.kind} ${key}`, value);
    const existing = this.rows.get(key);
    // As the table store: the very value stored again is the same create (a retried one), done.
    if (existing?.json === json) return existing.etag;
    if (existing) throw new AlreadyExistsError(`${this.kind} ${key}`);
    const etag = nextEtag();
    this.rows.set(key, { json, etag });
    return etag;
  }

  update(key: string, value: T, etag: string): string {
    const json = toStoredJson(`${this.kind} ${key}`, value);
    const row = this.rows.get(key);
    if (!row || row.etag !== etag) throw new ConcurrencyError(`${this.kind} ${key}`);
    const next = nextEtag();
    this.rows.set(key, { json, etag: next });
    return next;
  }

  delete(key: string): void {
    this.rows.delete(key);
  }

  values(): T[] {
    return [...this.rows.values()].map((row) => JSON.parse(row.json) as T);
  }
}
