/**
 * Table keys may not contain `/ \ # ?` or control characters. Ids from outside (Teams conversation
 * ids, botbuilder keys, Entra ids) are escaped percent-style; `%` itself and our separator `|` are
 * escaped too, so a composite key splits back unambiguously.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[%/\\#?|\u0000-\u001f\u007f-\u009f]/g;

/** Service limit for PartitionKey and RowKey. */
export const MAX_KEY_CHARS = 1024;

export function encodeKey(part: string): string {
  return part.replace(FORBIDDEN, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

export function decodeKey(encoded: string): string {
  return encoded.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export class KeyTooLongError extends Error {
  readonly code = "STORE.KEY_TOO_LONG";
  constructor(key: string) {
    super(`table key is longer than ${MAX_KEY_CHARS} characters: ${key.slice(0, 80)}...`);
    this.name = "KeyTooLongError";
  }
}

/** A composite key: a fixed tag and escaped parts joined by `|`. */
export function key(tag: string, ...parts: string[]): string {
  const joined = [tag, ...parts.map(encodeKey)].join("|");
  if (joined.length > MAX_KEY_CHARS) throw new KeyTooLongError(joined);
  return joined;
}

const MAX_MS = 9_999_999_999_999;
const TIME_DIGITS = 13;

/** Milliseconds counted down from year 2286, fixed width: ascending row keys give newest first. */
export function invertedTime(instant: string): string {
  return invertedMs(Date.parse(instant));
}

export function invertedMs(ms: number): string {
  if (!Number.isFinite(ms)) throw new Error("invalid instant in a table key");
  return String(MAX_MS - ms).padStart(TIME_DIGITS, "0");
}

/** An instant in the canonical form row keys sort by. */
export function canonicalTime(instant: string): string {
  return new Date(instant).toISOString();
}
