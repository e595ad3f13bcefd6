/**
 * Just enough OData for the queries Access Desk sends: `or`-joined `eq` and `startswith`
 * clauses in `$filter`, `"displayName:text"` in `$search`, and `$select`.
 */

const QUOTED = "'((?:[^']|'')*)'";
const CLAUSE = new RegExp(`startswith\\((\\w+),${QUOTED}\\)|(\\w+) eq (?:${QUOTED}|([\\w-]+))`, "g");

export function matches(
  object: Record<string, unknown>,
  filter: string | null,
  search: string | null,
): boolean {
  if (search) {
    const m = /^"(\w+):(.*)"$/.exec(search);
    if (!m) return false;
    return String(object[m[1]] ?? "")
      .toLowerCase()
      .includes(m[2].toLowerCase());
  }
  if (!filter) return true;
  const clauses = [...filter.matchAll(CLAUSE)];
  if (clauses.length === 0) throw new Error(`unsupported $filter: ${filter}`);
  return clauses.some((c) => {
    if (c[1])
      return String(object[c[1]] ?? "")
        .toLowerCase()
        .startsWith(unquote(c[2]).toLowerCase());
    const value = c[4] !== undefined ? unquote(c[4]) : c[5];
    return String(object[c[3]] ?? "").toLowerCase() === value.toLowerCase();
  });
}

export function project(object: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const select = query.get("$select");
  if (!select) {
    const { signInActivity: _omitted, ...rest } = object;
    return rest;
  }
  const out: Record<string, unknown> = { id: object.id };
  if (object["@odata.type"]) out["@odata.type"] = object["@odata.type"];
  for (const field of select.split(",")) if (field in object) out[field] = object[field];
  return out;
}

function unquote(value: string): string {
  return value.replace(/''/g, "'");
}
