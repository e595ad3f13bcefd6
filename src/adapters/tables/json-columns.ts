import { MAX_PROPERTY_CHARS, toStoredJson } from "../shared/stored-json";

/**
 * An aggregate's JSON split over string properties `json`, `json1`, ... of at most
 * MAX_PROPERTY_CHARS UTF-16 code units each, never splitting a surrogate pair. The size check throws
 * StoredValueTooLargeError before anything is sent.
 */
export function jsonColumns(what: string, value: unknown): Record<string, string | number> {
  const json = toStoredJson(what, value);
  const columns: Record<string, string | number> = {};
  let part = 0;
  for (let start = 0; start < json.length || part === 0; part += 1) {
    let end = Math.min(start + MAX_PROPERTY_CHARS, json.length);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    columns[part === 0 ? "json" : `json${part}`] = json.slice(start, end);
    start = end;
  }
  columns.jsonParts = part;
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
