import { MAX_PROPERTY_CHARS, toStoredJson } from "../shared/stored-json";

/**
 * An aggregate's JSON split over string properties `json`, `json1`, ... of at most
 * MAX_PROPERTY_CHARS UTF-16 code units each, never splitting a surrogate pair. The size check throws
 * StoredValueTooLargeError before anything is sent.
 */
export function jsonColumns(what: string, value: unknown): Record<string, string | number> {
  return textColumns("json", toStoredJson(what, value));
}

/**
 * Text longer than one property, over `<name>`, `<name>1`, ... (never splitting a surrogate pair),
 * with `<name>Parts` saying how many.
 */
export function textColumns(name: string, text: string): Record<string, string | number> {
  const columns: Record<string, string | number> = {};
  let part = 0;
  for (let start = 0; start < text.length || part === 0; part += 1) {
    let end = Math.min(start + MAX_PROPERTY_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    columns[part === 0 ? name : `${name}${part}`] = text.slice(start, end);
    start = end;
  }
  columns[`${name}Parts`] = part;
  return columns;
}

/** Reads back what jsonColumns wrote. */
export function readJsonColumns<T>(entity: Record<string, unknown>): T {
  const parts = typeof entity.jsonParts === "number" ? entity.jsonParts : 1;
  let json = "";
  for (let part = 0; part < parts; part += 1)
    json += String(entity[part === 0 ? "json" : `json${part}`] ?? "");
  return JSON.parse(json) as T;
}
