/** One field that differs between the stored and the declared version of an entity. */
export interface FieldChange {
  /** e.g. "approval.stages[1].decisionWindowDays" */
  path: string;
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const join = (base: string, key: string | number) =>
  typeof key === "number" ? `${base}[${key}]` : base ? `${base}.${key}` : key;

/**
 * Field-level differences. A missing field and an undefined one are the same; arrays of plain values
 * (keywords, ids) are compared whole so the summary reads "[a, b] → [a, c]".
 */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    return keys.flatMap((k) => fieldChanges(before[k], after[k], join(path, k)));
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    [...before, ...after].some((v) => isObject(v) || Array.isArray(v))
  ) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => fieldChanges(before[i], after[i], join(path, i))).flat();
  }
  if (sameValue(before, after)) return [];
  return [{ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with sorted keys and undefined dropped: equal content gives an equal string. */
export function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      isObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, v[k]]),
          )
        : v,
    ) ?? "undefined"
  );
}

export function describeValue(value: unknown, max = 80): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function describeField(c: FieldChange): string {
  return `${c.path}: ${describeValue(c.before)} → ${describeValue(c.after)}`;
}
