/** A string literal inside `$filter`: OData doubles single quotes. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A term inside `$search="displayName:..."`: quotes and backslashes would end or break it. */
export function searchTerm(value: string): string {
  return value.replace(/["\\]/g, " ").trim();
}

/** Path segment for an id or UPN (guest UPNs contain `#EXT#`). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Appends query options with each value percent-encoded: the SDK passes the query through as
 * given, so a `&`, `#` or `+` in a user's search text would otherwise change the request.
 */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length > 0 ? `${path}?${parts.join("&")}` : path;
}
