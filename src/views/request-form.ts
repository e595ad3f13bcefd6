import type { AccessPackage, AssignmentPolicy } from "../domain/model";
import type { FieldProblem } from "../domain/errors";
import type { CardMessage } from "../ports/notifier";
import { LIMITS as REQUEST_LIMITS } from "../domain/request/validate-request";
import { type ViewContext, approverSpecText } from "./context";
import { LIMITS, inputValue, safeText } from "./text";
import { expiryText } from "./time";

/** Input ids of the form; the submit handler reads the same names. */
export const FORM_INPUTS = {
  justification: "justification",
  startDate: "startDate",
  endDate: "endDate",
  question: (questionId: string) => `q_${questionId}`,
} as const;

/** Which input a domain problem belongs to ("question:cc" -> "q_cc"). */
export function inputOfField(field: string): string {
  if (field.startsWith("question:")) return FORM_INPUTS.question(field.slice("question:".length));
  if (field === "schedule.startAt") return FORM_INPUTS.startDate;
  if (field === "schedule.endAt") return FORM_INPUTS.endDate;
  if (field === "justification") return FORM_INPUTS.justification;
  return "";
}

export interface RequestFormOptions {
  pkg: AccessPackage;
  policy: AssignmentPolicy;
  forRef?: string;
  forName?: string;
  /** What the person typed, to show again next to the problems. */
  values?: Record<string, string>;
  problems?: FieldProblem[];
}

/** The request form built from the policy: justification, the policy's questions, optional dates. */
export function requestFormView(ctx: ViewContext, options: RequestFormOptions): CardMessage {
  const { pkg, policy } = options;
  const values = options.values ?? {};
  const problems = options.problems ?? [];
  const problemOf = (input: string) =>
    safeText(problems.find((p) => inputOfField(p.field) === input)?.message ?? "", LIMITS.short);
  const general = problems.filter((p) => inputOfField(p.field) === "");
  const stages = policy.approval.required ? policy.approval.stages : [];
  return {
    template: "request-form",
    summary: `Request ${safeText(pkg.name, LIMITS.title)}`,
    data: {
      packageId: pkg.id,
      policyId: policy.id,
      forRef: options.forRef ?? "",
      title: `Request ${safeText(pkg.name, LIMITS.title)}`,
      forLine: options.forName ? `For ${safeText(options.forName, LIMITS.name)}` : "",
      policyName: safeText(policy.name, LIMITS.title),
      approvalLine:
        stages.length === 0
          ? "No approval needed"
          : stages.map((s, i) => `Stage ${i + 1}: ${approverSpecText(ctx, s.primaryApprovers)}`).join("; "),
      duration: expiryText(policy.lifecycle.expiry),
      hasProblems: problems.length > 0,
      problemSummary: problems.length > 0 ? "Please fix the marked fields; nothing was submitted." : "",
      generalProblems: general.slice(0, 5).map((p) => ({ text: safeText(p.message, LIMITS.short) })),
      justification: {
        id: FORM_INPUTS.justification,
        label: policy.request.justificationRequired
          ? "Business justification (required)"
          : "Business justification",
        required: policy.request.justificationRequired,
        value: inputValue(values[FORM_INPUTS.justification], REQUEST_LIMITS.justification),
        maxLength: REQUEST_LIMITS.justification,
        problem: problemOf(FORM_INPUTS.justification),
      },
      questions: policy.request.questions.slice(0, 10).map((q) => {
        const id = FORM_INPUTS.question(q.id);
        return {
          id,
          label: safeText(q.text, LIMITS.title) + (q.required ? " (required)" : ""),
          required: q.required,
          isChoice: q.kind === "multipleChoice",
          isMultiline: q.kind === "longText",
          choices:
            q.kind === "multipleChoice" ? q.choices.slice(0, 20).map((c) => ({ title: c, value: c })) : [],
          maxLength: q.kind === "longText" ? REQUEST_LIMITS.longText : REQUEST_LIMITS.shortText,
          value: inputValue(values[id], REQUEST_LIMITS.longText),
          problem: problemOf(id),
        };
      }),
      schedule: policy.request.requesterSchedule,
      startDate: inputValue(values[FORM_INPUTS.startDate], 10),
      endDate: inputValue(values[FORM_INPUTS.endDate], 10),
      startProblem: problemOf(FORM_INPUTS.startDate),
      endProblem: problemOf(FORM_INPUTS.endDate),
    },
  };
}
