import type { AssignmentPolicy, Instant, Question } from "../model";
import { domainError, type FieldProblem } from "../errors";
import { err, ok, type Result } from "../result";
import { expiryEnd } from "../assignment/expiry";
import { compileAnswerFormat } from "./answer-format";
import { addMinutes, isAfter, isBefore, isValidInstant } from "../time";

export const LIMITS = { justification: 1000, shortText: 200, longText: 2000 } as const;
/** A start a little in the past is accepted: the form was filled a moment ago. */
export const START_GRACE_MINUTES = 5;

export interface RequestInput {
  justification: string;
  answers: Record<string, string>;
  schedule?: { startAt?: Instant; endAt?: Instant };
}

/** The input, cleaned (trimmed, empty answers dropped), once it passed every check. */
export type ValidRequestInput = Required<RequestInput>;

function checkAnswer(q: Question, answer: string): string | undefined {
  if (q.kind === "multipleChoice") {
    return q.choices.includes(answer) ? undefined : `Pick one of: ${q.choices.join(", ")}.`;
  }
  const max = q.kind === "shortText" ? LIMITS.shortText : LIMITS.longText;
  if (answer.length > max) return `Keep it under ${max} characters.`;
  if (q.regex !== undefined) {
    const format = compileAnswerFormat(q.regex);
    if (!format.ok) return "This question has a broken format rule; ask the catalog owner to fix it.";
    if (!format.value.test(answer)) return "The answer doesn't have the expected format.";
  }
  return undefined;
}

function checkSchedule(
  policy: AssignmentPolicy,
  schedule: { startAt?: Instant; endAt?: Instant },
  now: Instant,
  problems: FieldProblem[],
): void {
  const { startAt, endAt } = schedule;
  if (startAt === undefined && endAt === undefined) return;
  if (!policy.request.requesterSchedule) {
    problems.push({ field: "schedule.startAt", message: "This policy doesn't let you choose dates." });
    return;
  }
  if (startAt !== undefined) {
    if (!isValidInstant(startAt)) problems.push({ field: "schedule.startAt", message: "Not a valid date." });
    else if (isBefore(startAt, addMinutes(now, -START_GRACE_MINUTES))) {
      problems.push({ field: "schedule.startAt", message: "The start can't be in the past." });
    }
  }
  if (endAt === undefined) return;
  if (!isValidInstant(endAt)) {
    problems.push({ field: "schedule.endAt", message: "Not a valid date." });
    return;
  }
  const start = startAt !== undefined && isValidInstant(startAt) && isAfter(startAt, now) ? startAt : now;
  if (!isAfter(endAt, start)) {
    problems.push({ field: "schedule.endAt", message: "The end must be after the start." });
    return;
  }
  const latest = expiryEnd(policy.lifecycle.expiry, start);
  if (latest !== undefined && isAfter(endAt, latest)) {
    problems.push({
      field: "schedule.endAt",
      message: `The policy allows access until ${latest} at the latest.`,
    });
  }
}

/** Checks a request form against its policy; every problem is reported at once, per field. */
export function validateRequest(
  policy: AssignmentPolicy,
  input: RequestInput,
  now: Instant,
): Result<ValidRequestInput> {
  const problems: FieldProblem[] = [];
  const justification = (input.justification ?? "").trim();
  if (policy.request.justificationRequired && justification.length === 0) {
    problems.push({ field: "justification", message: "Say why you need this access." });
  } else if (justification.length > LIMITS.justification) {
    problems.push({ field: "justification", message: `Keep it under ${LIMITS.justification} characters.` });
  }

  const answers: Record<string, string> = {};
  const questions = new Map(policy.request.questions.map((q) => [q.id, q]));
  for (const [id, raw] of Object.entries(input.answers ?? {})) {
    if (!questions.has(id)) problems.push({ field: `question:${id}`, message: "There is no such question." });
    else if (typeof raw !== "string")
      problems.push({ field: `question:${id}`, message: "The answer must be text." });
  }
  for (const q of questions.values()) {
    const raw = input.answers?.[q.id];
    const answer = typeof raw === "string" ? raw.trim() : "";
    if (answer.length === 0) {
      if (q.required) problems.push({ field: `question:${q.id}`, message: `"${q.text}" needs an answer.` });
      continue;
    }
    const problem = checkAnswer(q, answer);
    if (problem) problems.push({ field: `question:${q.id}`, message: problem });
    else answers[q.id] = answer;
  }

  const schedule = input.schedule ?? {};
  checkSchedule(policy, schedule, now, problems);

  if (problems.length > 0) {
    return err(domainError("REQUEST.INVALID", "Some answers need fixing.", { problems }));
  }
  const cleanSchedule: { startAt?: Instant; endAt?: Instant } = {};
  if (schedule.startAt !== undefined) cleanSchedule.startAt = new Date(schedule.startAt).toISOString();
  if (schedule.endAt !== undefined) cleanSchedule.endAt = new Date(schedule.endAt).toISOString();
  return ok({ justification, answers, schedule: cleanSchedule });
}
