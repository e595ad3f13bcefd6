import type { AuditAction, DomainEvent, UserId } from "../../domain/model";

/** What each domain event that changes or decides access says in the audit trail, and who did it. */
/** Answers as audit details: `answer.<question id>`. */
const prefixed = (prefix: string, values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));

/** A delegate's decision names the approver it was made for. */
const onBehalf = (approverId: UserId | undefined) =>
  approverId ? { details: { onBehalfOf: approverId } } : {};

export function auditOf(
  event: DomainEvent,
): { action: AuditAction; subject: string; reason?: string; details?: Record<string, string> } | undefined {
  switch (event.type) {
    case "RequestSubmitted":
      return {
        action: "request.submitted",
        subject: `request:${event.requestId}`,
        ...(event.justification ? { reason: event.justification } : {}),
        ...(event.answers ? { details: prefixed("answer.", event.answers) } : {}),
      };
    case "StageStarted":
      return {
        action: "stage.started",
        subject: `request:${event.requestId}`,
        reason: `stage ${event.stage}`,
      };
    case "StageApproved":
      return {
        action: "stage.approved",
        subject: `request:${event.requestId}`,
        reason: event.justification,
        ...onBehalf(event.onBehalfOf),
      };
    case "RequestApproved":
      return { action: "request.approved", subject: `request:${event.requestId}` };
    case "RequestDenied":
      return {
        action: "request.denied",
        subject: `request:${event.requestId}`,
        reason: event.reason,
        ...onBehalf(event.onBehalfOf),
      };
    case "RequestCanceled":
      return { action: "request.canceled", subject: `request:${event.requestId}`, reason: event.reason };
    case "RequestExpired":
      return {
        action: "request.expired",
        subject: `request:${event.requestId}`,
        reason: `stage ${event.stage} window ended`,
      };
    case "StageEscalated":
      return {
        action: "stage.escalated",
        subject: `request:${event.requestId}`,
        reason: `stage ${event.stage}`,
      };
    case "AssignmentDelivered": {
      const action =
        event.state === "delivered"
          ? "assignment.granted"
          : event.state === "partiallyDelivered"
            ? "assignment.partiallyGranted"
            : "assignment.deliveryFailed";
      return { action, subject: `assignment:${event.assignmentId}` };
    }
    case "AssignmentExtended":
      return {
        action: "assignment.extended",
        subject: `assignment:${event.assignmentId}`,
        reason: event.endAt,
      };
    case "AssignmentRemoved":
      return {
        action: "assignment.removed",
        subject: `assignment:${event.assignmentId}`,
        reason: event.reason,
      };
    case "AssignmentExpired":
      return { action: "assignment.expired", subject: `assignment:${event.assignmentId}` };
    case "RemovalFailed":
      return {
        action: "assignment.removalFailed",
        subject: `assignment:${event.assignmentId}`,
        reason: event.error,
      };
    case "RemovalCompleted":
      return { action: "assignment.removalCompleted", subject: `assignment:${event.assignmentId}` };
    case "RemovalRetried":
      return { action: "assignment.removalRetried", subject: `assignment:${event.assignmentId}` };
    case "GrantsFailed":
      return {
        action: "assignment.grantsFailed",
        subject: `assignment:${event.assignmentId}`,
        reason: event.roles.join(", "),
      };
    case "ExpiryReminderDue":
      return {
        action: "assignment.expiryReminded",
        subject: `assignment:${event.assignmentId}`,
        reason: `${event.offsetHours} hours before the end (${event.endAt})`,
      };
    default:
      return undefined;
  }
}

/** Who did what an event tells, when the event names them. */
export function actorOf(event: DomainEvent): UserId | "system" | undefined {
  switch (event.type) {
    case "RequestDenied":
    case "StageApproved":
    case "RequestCanceled":
    case "ReviewItemDecided":
      return event.by;
    default:
      return undefined;
  }
}
