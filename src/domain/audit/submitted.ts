/**
 * What the `request.submitted` entry keeps of a request's answers. The entry travels in the step's
 * journal (one 32,000-character property) and lands in the audit row, so the answers are capped:
 * each at 2,000 characters and all of them at 12,000, the rest cut with a note of how much. The
 * request itself keeps them whole.
 */
export const MAX_AUDITED_ANSWER_CHARS = 2_000;
export const MAX_AUDITED_ANSWERS_CHARS = 12_000;

export function auditedAnswers(answers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let budget = MAX_AUDITED_ANSWERS_CHARS;
  for (const key of Object.keys(answers).sort()) {
    const value = answers[key]!;
    const room = Math.max(0, Math.min(MAX_AUDITED_ANSWER_CHARS, budget));
    out[key] = value.length <= room ? value : `${value.slice(0, room)}... [cut: ${value.length} characters]`;
    budget -= Math.min(value.length, room);
  }
  return out;
}
