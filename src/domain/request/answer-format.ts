import { RE2JS } from "re2js";
import { err, ok, type Result } from "../result";

/**
 * A question's format rule (`regex` in the governance files), run by RE2: matching takes time
 * linear in the answer, so no rule and no answer can stall the process the way a backtracking
 * engine does on nested quantifiers such as `^([a-z]+\s?)+$`. RE2 has no lookaround and no
 * backreferences; governance validation refuses rules that use them (`compileAnswerFormat`).
 */
export interface AnswerFormat {
  /** Whether the rule matches somewhere in the answer, as `RegExp.test` does; anchor with ^ and $. */
  test(answer: string): boolean;
}

export function compileAnswerFormat(source: string): Result<AnswerFormat, string> {
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source);
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
  return ok({ test: (answer) => pattern.matcher(answer).find() });
}
