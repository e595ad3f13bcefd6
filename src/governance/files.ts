import Ajv, { type ValidateFunction } from "ajv";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { ConfigProblem } from "./problems";
import { problemsFromAjv } from "./problems";

/** A file as read from disk, named as the user would name it ("governance/catalogs.yaml"). */
export interface SourceFile {
  name: string;
  text: string;
}

/** A parsed YAML file that can tell the line of any path inside it. */
export interface ParsedFile {
  name: string;
  data: unknown;
  locate(path: (string | number)[]): { line: number; column: number } | undefined;
}

const ajv = new Ajv({
  allErrors: true,
  discriminator: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  // verbose: errors carry their schema, whose description is the hint.
  verbose: true,
});

export function compileSchema(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

/**
 * How many alias (`*name`) expansions yaml allows while building a file's values, relative to its
 * size: enough for anchors a person writes by hand, far too few for an exponential "billion laughs".
 */
export const MAX_ALIAS_COUNT = 50;

/** Parses YAML; broken YAML gives a problem with the line and column of the first error. */
export function parseYaml(file: SourceFile): { file?: ParsedFile; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        file: file.name,
        path: "",
        message: `is not valid YAML: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
        hint: "fix the indentation or quoting near that line",
        ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    // yaml refuses an alias bomb ("billion laughs") while building the values: a problem, not a crash.
    return {
      problems: [
        {
          file: file.name,
          path: "",
          message: `is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
          hint: `use fewer aliases (*name): at most ${MAX_ALIAS_COUNT} expansions; write the values out instead`,
        },
      ],
    };
  }
  return { file: { name: file.name, data, locate: (path) => locate(doc, lineCounter, path) }, problems: [] };
}

function locate(doc: Document, counter: LineCounter, path: (string | number)[]) {
  // A missing field has no node: fall back to the nearest ancestor that exists.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === "object" && node.range) {
      const pos = counter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

/** Checks a parsed file against its schema; problems carry the line of the offending value. */
export function validateShape(file: ParsedFile, validate: ValidateFunction): ConfigProblem[] {
  if (validate(file.data)) return [];
  return problemsFromAjv(file.name, validate.errors ?? []).map((p) => {
    const segs = pathSegments(p.path);
    const pos = file.locate(segs);
    return pos ? { ...p, ...pos } : p;
  });
}

/** "policies[0].approval" -> ["policies", 0, "approval"] */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}
