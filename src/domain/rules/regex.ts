import { RE2JS } from "re2js";

/**
 * `-match` patterns run by RE2 (linear time in the value: no pattern can stall an evaluation over a
 * whole directory) and ignore case, as Entra's do. Compiled once per pattern.
 */
const compiled = new Map<string, RE2JS>();
const MAX_CACHED = 500;

/** The compile error of a pattern, or undefined when it compiles. */
export function regexProblem(pattern: string): string | undefined {
  try {
    compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether the pattern matches somewhere in the value (anchor with ^ and $). */
export function regexMatches(pattern: string, value: string): boolean {
  return compile(pattern).matcher(value).find();
}

function compile(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}
