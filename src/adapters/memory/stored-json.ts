/**
 * Aggregates are stored as JSON. Table Storage caps a string property at 64 KiB (UTF-16, so 32,768
 * code units) and an entity at 1 MiB: the table stores split the JSON over up to
 * `MAX_JSON_CHUNKS` properties. The memory stores apply the same limit so a test fails the way
 * production would.
 */
export const MAX_PROPERTY_CHARS = 32_768;
export const MAX_JSON_CHUNKS = 15;
export const MAX_STORED_JSON_CHARS = MAX_PROPERTY_CHARS * MAX_JSON_CHUNKS;

export class StoredValueTooLargeError extends Error {
  readonly code = "STORE.VALUE_TOO_LARGE";
  constructor(what: string, chars: number) {
    super(
      `${what} is too large to store: ${chars} characters of JSON, at most ${MAX_STORED_JSON_CHARS} fit in one entity`,
    );
    this.name = "StoredValueTooLargeError";
  }
}

/** Serialises a value for storage, refusing what would not fit in one Table Storage entity. */
export function toStoredJson(what: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (json.length > MAX_STORED_JSON_CHARS) throw new StoredValueTooLargeError(what, json.length);
  return json;
}

/** A deep copy through JSON, exactly what a round trip through storage gives (undefined fields vanish). */
export function storedCopy<T>(what: string, value: T): T {
  return JSON.parse(toStoredJson(what, value)) as T;
}
