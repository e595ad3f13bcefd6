/**
 * Runs in a worker thread (see answer-format.test.ts): if matching backtracks, this thread is the
 * one that stalls, and the test's deadline can still fire and fail instead of hanging the run.
 */
import { parentPort } from "node:worker_threads";
import type { AssignmentPolicy, Question } from "../../../../../src/domain/model";
import { compileAnswerFormat } from "../../../../../src/domain/request/answer-format";
import { validateRequest } from "../../../../../src/domain/request/validate-request";
import { NOW, twoStagePolicy } from "../../support/fixtures";

/** Nested quantifiers: a backtracking engine takes 2^n steps on n letters and a final "!". */
export const EVIL = "^([a-zA-Z0-9]+\\s?)+$";

const questions: Question[] = [
  { id: "code", text: "Code?", kind: "shortText", required: false, regex: EVIL },
  { id: "notes", text: "Notes?", kind: "longText", required: false, regex: EVIL },
];
const p = twoStagePolicy();
const policy: AssignmentPolicy = { ...p, request: { ...p.request, questions } };

const outcome = (answers: Record<string, string>) => {
  const result = validateRequest(policy, { justification: "Needed", answers }, NOW);
  if (result.ok) return "accepted";
  const problems = result.error.problems ?? [];
  return `refused: ${problems.map((x) => x.message).join("; ")}`;
};

const matcher = compileAnswerFormat(EVIL);
if (!matcher.ok) throw new Error(matcher.error);

parentPort!.postMessage({
  // Beyond any answer's length limit: the matcher itself stays linear.
  hugeAdversarial: matcher.value.test(`${"a".repeat(9_999)}!`),
  hugeFine: matcher.value.test(`${"ab ".repeat(3_333)}a`),
  adversarialShort: outcome({ code: `${"a".repeat(39)}!` }),
  fineShort: outcome({ code: "abc def ghi jkl mno pqr stu vwx yz0 1234" }),
  adversarialLong: outcome({ notes: `${"a".repeat(1999)}!` }),
  fineLong: outcome({ notes: "a1 ".repeat(666).trim() }),
});
