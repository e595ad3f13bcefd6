import type { AssignmentPolicy, Catalog } from "../domain/model";
import { compileAnswerFormat } from "../domain/request/answer-format";
import { isRealInstant } from "./dates";
import type { ConfigProblem } from "./problems";
import { problemAt, type CrossCheckOptions, type GovernanceSources, type Located } from "./located";

/** Checks one policy's references and the rules a schema cannot express. */
export function checkPolicy(
  loc: Located<AssignmentPolicy>,
  catalogs: Map<string, Catalog>,
  packageIds: Set<string>,
  orgIds: Set<string>,
  src: GovernanceSources,
  options: CrossCheckOptions,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const p = loc.value;
  if (!packageIds.has(p.packageId))
    out.push(problemAt(loc, [], `no access package "${p.packageId}" for this policy`));
  const r = p.requestors;
  if (r.kind === "connectedOrganizations") {
    if (r.organizationIds !== "all") {
      r.organizationIds.forEach((id, i) => {
        if (!orgIds.has(id))
          out.push(
            problemAt(
              loc,
              ["requestors", "organizationIds", i],
              `no connected organisation "${id}"`,
              "declare it in connected-organizations.yaml",
            ),
          );
      });
    }
    const pkg = src.packages.find((x) => x.value.id === p.packageId)?.value;
    const catalog = pkg && catalogs.get(pkg.catalogId);
    if (catalog && !catalog.externallyVisible) {
      out.push(
        problemAt(
          loc,
          ["requestors"],
          `catalog "${catalog.id}" is not visible to connected organisations`,
          "set externallyVisible: true on the catalog",
        ),
      );
    }
  }
  if (r.kind === "specific" && (r.userIds ?? []).length + (r.groupIds ?? []).length === 0) {
    out.push(problemAt(loc, ["requestors"], "names no users or groups", "add userIds or groupIds"));
  }
  if (p.approval.required && p.approval.stages.length === 0) {
    out.push(
      problemAt(
        loc,
        ["approval", "stages"],
        "approval is required but no stage is declared",
        "add one to three stages, or set approval.required: false",
      ),
    );
  }
  if (!p.approval.required && p.approval.stages.length > 0) {
    out.push(
      problemAt(
        loc,
        ["approval", "required"],
        "is false but stages are declared",
        "remove the stages or set required: true",
      ),
    );
  }
  p.approval.stages.forEach((s, i) => {
    if (!s.requireStepUp && s.stepUpFreshnessMinutes !== undefined) {
      out.push(
        problemAt(
          loc,
          ["approval", "stages", i, "stepUpFreshnessMinutes"],
          "has no effect without requireStepUp: true",
          "set requireStepUp: true on this stage, or remove stepUpFreshnessMinutes",
        ),
      );
    }
    if (s.escalation && s.escalation.afterDays >= s.decisionWindowDays) {
      out.push(
        problemAt(
          loc,
          ["approval", "stages", i, "escalation", "afterDays"],
          `must be less than the decision window (${s.decisionWindowDays} days)`,
          "escalate before the request expires",
        ),
      );
    }
  });
  const seen = new Set<string>();
  p.request.questions.forEach((q, i) => {
    if (seen.has(q.id))
      out.push(
        problemAt(
          loc,
          ["request", "questions", i, "id"],
          `question id "${q.id}" is used twice`,
          "give each question its own id",
        ),
      );
    seen.add(q.id);
    if (q.kind !== "multipleChoice" && q.regex !== undefined) {
      // Compiled by the matcher that checks answers (RE2, linear time): what it can't run is refused here.
      const format = compileAnswerFormat(q.regex);
      if (!format.ok) {
        out.push(
          problemAt(
            loc,
            ["request", "questions", i, "regex"],
            `is not a valid regular expression for the answer matcher (${format.error})`,
            "fix the pattern or remove it; lookaround and backreferences are not supported",
          ),
        );
      }
    }
  });
  const expiry = p.lifecycle.expiry;
  if (expiry.kind === "onDate" && !isRealInstant(expiry.date)) {
    out.push(
      problemAt(
        loc,
        ["lifecycle", "expiry", "date"],
        `"${expiry.date}" is not a real date`,
        "write a date like 2027-06-30",
      ),
    );
  }
  const review = p.lifecycle.review;
  if (review && !isRealInstant(review.startDate)) {
    out.push(
      problemAt(
        loc,
        ["lifecycle", "review", "startDate"],
        `"${review.startDate}" is not a real date`,
        "write a date like 2026-01-05",
      ),
    );
  }
  if (review?.escalateAfterDays !== undefined) {
    if (review.escalateAfterDays >= review.durationDays) {
      out.push(
        problemAt(
          loc,
          ["lifecycle", "review", "escalateAfterDays"],
          `must be less than the review's duration (${review.durationDays} days)`,
          "escalate to the fallback reviewers while the review is still open",
        ),
      );
    }
    if (review.fallbackReviewers.length === 0) {
      out.push(
        problemAt(
          loc,
          ["lifecycle", "review", "escalateAfterDays"],
          "has nobody to escalate to",
          "name fallbackReviewers in this review, or remove escalateAfterDays",
        ),
      );
    }
  }
  if (p.autoAssignment) {
    if (p.requestors.kind !== "none") {
      out.push(
        problemAt(
          loc,
          ["requestors"],
          "an auto-assignment policy assigns by rule, so nobody requests through it",
          "remove requestors or move the rule to its own policy",
        ),
      );
    }
    const ruleProblem = options.checkRule?.(p.autoAssignment.rule);
    if (ruleProblem)
      out.push(
        problemAt(loc, ["autoAssignment", "rule"], ruleProblem, "see the rule syntax in docs/governance.md"),
      );
  }
  return out;
}
