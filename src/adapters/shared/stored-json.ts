/**
 * Aggregates are stored as JSON. Table Storage caps a string property at 64 KiB ("32K characters"
 * of UTF-16) and an entity at 1 MiB: the table stores split the JSON over up to `MAX_JSON_CHUNKS`
 * properties of 32,000 code units (Azurite refuses some strings just under 32,768 with astral
 * characters). The memory stores apply the same limit so a test fails the way production would.
 */
export const MAX_PROPERTY_CHARS = 32_000;
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

/**
 * Serialises a value for storage as ASCII-only JSON (other characters as `\uXXXX` escapes), refusing
 * what would not fit in one Table Storage entity. ASCII because Azurite corrupts multi-byte characters
 * that straddle a 64 KiB chunk of a request body (large entities, transactions); the JSON means the same.
 */
export function toStoredJson(what: string, value: unknown): string {
  const json = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
  if (json.length > MAX_STORED_JSON_CHARS) throw new StoredValueTooLargeError(what, json.length);
  return json;
}

/** A deep copy through JSON, exactly what a round trip through storage gives (undefined fields vanish). */
export function storedCopy<T>(what: string, value: T): T {
  return JSON.parse(toStoredJson(what, value)) as T;
}
