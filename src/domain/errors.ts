/**
 * One error vocabulary: every rule that refuses something names a stable code. The bot maps codes to
 * friendly messages; logs and the audit trail keep the code.
 */
export type DomainErrorCode =
  | "POLICY.NOT_ELIGIBLE"
  | "POLICY.NOT_FOUND"
  | "POLICY.SELF_SERVICE_OFF"
  | "POLICY.ON_BEHALF_NOT_ALLOWED"
  | "PACKAGE.NOT_FOUND"
  | "PACKAGE.CATALOG_DISABLED"
  | "REQUEST.INVALID"
  | "REQUEST.NOT_FOUND"
  | "REQUEST.NOT_PENDING"
  | "REQUEST.NOT_YOURS"
  | "REQUEST.DUPLICATE"
  | "REQUEST.ALREADY_ASSIGNED"
  | "APPROVAL.NOT_AN_APPROVER"
  | "APPROVAL.SELF_APPROVAL"
  | "APPROVAL.STAGE_MISMATCH"
  | "APPROVAL.ALREADY_DECIDED"
  | "APPROVAL.JUSTIFICATION_REQUIRED"
  | "APPROVAL.NO_APPROVER"
  | "APPROVAL.STALE_CARD"
  | "APPROVAL.STEP_UP_REQUIRED"
  | "SOD.CONFLICT"
  | "ASSIGNMENT.NOT_FOUND"
  | "ASSIGNMENT.NOT_ACTIVE"
  | "ASSIGNMENT.EXTENSION_NOT_ALLOWED"
  | "ASSIGNMENT.REVIEW_DENIED"
  | "ASSIGNMENT.REMOVAL_NOT_ALLOWED"
  | "ASSIGNMENT.NOT_CATALOG_OWNER"
  | "ASSIGNMENT.STILL_ACTIVE"
  | "REVIEW.NOT_A_REVIEWER"
  | "REVIEW.NOT_ACTIVE"
  | "REVIEW.ITEM_NOT_FOUND"
  | "REVIEW.JUSTIFICATION_REQUIRED"
  | "RULE.PARSE"
  | "ADMIN.ROLE_NEEDED"
  | "AUDIT.NOT_ALLOWED"
  | "AUDIT.INVALID_QUERY"
  | "AUDIT.LINK_INVALID"
  | "DELEGATION.INVALID"
  | "DELEGATION.NOT_FOUND"
  | "INVITE.NOT_ALLOWED"
  | "INVITE.RETRYING"
  | "INVITE.INVALID_ADDRESS"
  | "INVITE.NO_ORGANIZATION"
  | "INVITE.POLICY_NOT_ALLOWED"
  | "INVITE.ALREADY_IN_DIRECTORY"
  | "CONCURRENCY.CONFLICT";

export interface FieldProblem {
  /** The input that is wrong: "justification", "question:costCenter", "schedule.end", ... */
  field: string;
  message: string;
}

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  /** Per-field problems, for forms that re-show with the problems marked. */
  problems?: FieldProblem[];
  /** Extra facts for the message (who decided, when, which package conflicts). */
  details?: Record<string, string>;
}

export const domainError = (
  code: DomainErrorCode,
  message: string,
  extra: Partial<Pick<DomainError, "problems" | "details">> = {},
): DomainError => ({ code, message, ...extra });
