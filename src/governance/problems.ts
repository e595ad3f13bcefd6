import type { ErrorObject } from "ajv";

/** One thing wrong with a governance or organisation file: where, what, and what to do about it. */
export interface ConfigProblem {
  /** The file as the user named it, e.g. "governance/packages/business-analyst.yaml". */
  file: string;
  /** Where inside the file, e.g. "policies[0].approval.stages[1].decisionWindowDays"; "" for the file itself. */
  path: string;
  message: string;
  /** What to do about it. */
  hint?: string;
  line?: number;
  column?: number;
}

/** Thrown when files do not validate; `problems` lists every problem found, not just the first. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`${problems.length} problem(s) in the configuration:\n${problems.map(formatProblem).join("\n")}`);
    this.name = "ConfigValidationError";
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.path ? `${p.file}: ${p.path}` : p.file;
  const hint = p.hint ? ` — ${p.hint}` : "";
  const line =
    p.line !== undefined ? ` (line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ""})` : "";
  return `${where}: ${p.message}${hint}${line}`;
}

/** "/policies/0/approval" -> "policies[0].approval" */
export function pointerToPath(segments: (string | number)[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === "number" || /^\d+$/.test(s)) return `${acc}[${s}]`;
    return acc ? `${acc}.${s}` : s;
  }, "");
}

export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Turns ajv's errors into problems with a path and a hint. */
export function problemsFromAjv(
  file: string,
  errors: ErrorObject[],
): Omit<ConfigProblem, "line" | "column">[] {
  const out: Omit<ConfigProblem, "line" | "column">[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const segs = pointerSegments(e.instancePath);
    let message = e.message ?? "is invalid";
    let hint: string | undefined;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case "required":
        segs.push(String(p.missingProperty));
        message = "is required";
        hint = `add \`${String(p.missingProperty)}\``;
        break;
      case "additionalProperties":
        segs.push(String(p.additionalProperty));
        message = "is not a known field";
        hint = `remove it or check its spelling (known fields: ${knownFields(e).join(", ")})`;
        break;
      case "enum":
        message = `${JSON.stringify(e.data)} is not allowed`;
        hint = `use one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
        break;
      case "const":
        hint = `use ${JSON.stringify(p.allowedValue)}`;
        break;
      case "discriminator":
        segs.push(String(p.tag));
        message =
          p.tagValue === undefined ? "is required" : `${JSON.stringify(p.tagValue)} is not a known kind`;
        hint = `use one of: ${discriminatorKinds(e).join(", ")}`;
        break;
      case "type":
        hint = `write a value of type ${String(p.type)}`;
        break;
      case "pattern":
        message = "has the wrong form";
        hint = patternHint(e.parentSchema as Record<string, unknown> | undefined);
        break;
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "minItems":
      case "maxItems":
      case "minLength":
      case "format":
      case "uniqueItems":
        hint = patternHint(e.parentSchema as Record<string, unknown> | undefined);
        break;
      case "anyOf":
      case "oneOf":
        hint = patternHint(e.parentSchema as Record<string, unknown> | undefined);
        break;
    }
    const path = pointerToPath(segs);
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file, path, message, ...(hint ? { hint } : {}) });
  }
  return out;
}

function knownFields(e: ErrorObject): string[] {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function discriminatorKinds(e: ErrorObject): string[] {
  const branches = (
    e.parentSchema as { oneOf?: { properties?: { kind?: { const?: string; enum?: string[] } } }[] }
  )?.oneOf;
  return (branches ?? []).flatMap((b) => {
    const k = b.properties?.kind;
    return k?.enum ?? (k?.const ? [k.const] : []);
  });
}

/** Schemas carry a human hint in `description` where a rule is not obvious. */
function patternHint(schema: Record<string, unknown> | undefined): string | undefined {
  const d = schema?.description;
  return typeof d === "string" ? d : undefined;
}
