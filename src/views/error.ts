import type { DomainError, DomainErrorCode } from "../domain/errors";
import type { CardMessage } from "../ports/notifier";
import { LIMITS, safeText } from "./text";

/** Titles per error code; the message itself comes from the rule that refused. */
const TITLES: Partial<Record<DomainErrorCode, string>> = {
  "POLICY.NOT_ELIGIBLE": "You can't request this",
  "INVITE.NOT_ALLOWED": "You can't invite a partner",
  "INVITE.INVALID_ADDRESS": "That isn't an e-mail address",
  "INVITE.NO_ORGANIZATION": "Not a connected organisation",
  "INVITE.POLICY_NOT_ALLOWED": "Not open to that organisation",
  "INVITE.ALREADY_IN_DIRECTORY": "Already in the directory",
  "POLICY.NOT_FOUND": "That option isn't available",
  "POLICY.SELF_SERVICE_OFF": "Assigned by administrators only",
  "POLICY.ON_BEHALF_NOT_ALLOWED": "Not allowed on someone's behalf",
  "PACKAGE.NOT_FOUND": "Access package not found",
  "PACKAGE.CATALOG_DISABLED": "Not available right now",
  "REQUEST.INVALID": "Please check the form",
  "REQUEST.NOT_FOUND": "Request not found",
  "REQUEST.NOT_PENDING": "Nothing left to decide",
  "REQUEST.NOT_YOURS": "Not your request",
  "REQUEST.DUPLICATE": "You already asked for this",
  "REQUEST.ALREADY_ASSIGNED": "You already have this access",
  "APPROVAL.NOT_AN_APPROVER": "You aren't an approver here",
  "APPROVAL.SELF_APPROVAL": "You can't decide your own request",
  "APPROVAL.STAGE_MISMATCH": "This card is out of date",
  "APPROVAL.ALREADY_DECIDED": "Already decided",
  "APPROVAL.JUSTIFICATION_REQUIRED": "A reason is required",
  "APPROVAL.NO_APPROVER": "No approver available",
  "APPROVAL.STALE_CARD": "This card is out of date",
  "APPROVAL.STEP_UP_REQUIRED": "Sign in to approve",
  "SOD.CONFLICT": "Conflicts with access you have",
  "ASSIGNMENT.NOT_FOUND": "Access not found",
  "ASSIGNMENT.NOT_ACTIVE": "This access has ended",
  "ASSIGNMENT.EXTENSION_NOT_ALLOWED": "Can't be extended",
  "ASSIGNMENT.REVIEW_DENIED": "Denied in an access review",
  "ASSIGNMENT.REMOVAL_NOT_ALLOWED": "Can't be removed by you",
  "ASSIGNMENT.NOT_CATALOG_OWNER": "Only catalog owners can do this",
  "ASSIGNMENT.STILL_ACTIVE": "This access hasn't ended",
  "REVIEW.NOT_A_REVIEWER": "You aren't a reviewer here",
  "REVIEW.NOT_ACTIVE": "This review has ended",
  "REVIEW.ITEM_NOT_FOUND": "Review item not found",
  "REVIEW.JUSTIFICATION_REQUIRED": "A reason is required",
  "ADMIN.ROLE_NEEDED": "You need an administrative role",
  "AUDIT.LINK_INVALID": "This download link doesn't work",
  "DELEGATION.INVALID": "Can't delegate like that",
  "DELEGATION.NOT_FOUND": "You aren't delegating",
  "CONCURRENCY.CONFLICT": "Someone else changed this just now",
};

export function errorTitle(code: string): string {
  return TITLES[code as DomainErrorCode] ?? "That didn't work";
}

/** A refusal or failure as a card: what happened, in words, and nothing changed. */
export function errorView(
  error: { code: DomainError["code"] | "INTERNAL" | "CARD.INVALID"; message: string },
  correlationId?: string,
): CardMessage {
  const title = errorTitle(error.code);
  return {
    template: "error",
    summary: `${title}: ${error.message}`,
    data: {
      title,
      // Domain messages may quote package names a person configured: keep them inert.
      message: safeText(error.message, LIMITS.long),
      code: safeText(error.code, 60),
      correlation: correlationId
        ? `If you contact support, mention reference ${safeText(correlationId, 60)}.`
        : "",
    },
  };
}

/** An unexpected failure: no details for the person, a reference for the log. */
export function unexpectedErrorView(correlationId: string): CardMessage {
  return errorView(
    {
      code: "INTERNAL",
      message:
        "Something went wrong on our side, and it may have happened after your change was saved. " +
        'Check before trying again: "my requests", "my access" or "my approvals" show what is stored.',
    },
    correlationId,
  );
}
