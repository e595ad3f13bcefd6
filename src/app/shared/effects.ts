import type { AppDeps } from "../deps";
import type { AuditAction, AuditEntry, Deadline, DomainEvent, UserId } from "../../domain/model";
import { nowIso } from "./context";

/** Who did it, from where, about whom: the facts every audit row of one use-case call shares. */
export interface ActionContext {
  actor: UserId | "system";
  source: string;
  targetUserId?: UserId;
  packageId?: string;
}

function auditOf(event: DomainEvent): { action: AuditAction; subject: string; reason?: string } | undefined {
  switch (event.type) {
    case "RequestSubmitted":
      return { action: "request.submitted", subject: `request:${event.requestId}` };
    case "StageStarted":
      return {
        action: "stage.started",
        subject: `request:${event.requestId}`,
        reason: `stage ${event.stage}`,
      };
    case "StageApproved":
      return { action: "stage.approved", subject: `request:${event.requestId}`, reason: event.justification };
    case "RequestApproved":
      return { action: "request.approved", subject: `request:${event.requestId}` };
    case "RequestDenied":
      return { action: "request.denied", subject: `request:${event.requestId}`, reason: event.reason };
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

/** Audit rows for the events that change or decide access. */
export function auditEntries(deps: AppDeps, events: DomainEvent[], ctx: ActionContext): AuditEntry[] {
  const at = nowIso(deps);
  return events.flatMap((event) => {
    const row = auditOf(event);
    if (!row) return [];
    const actor = event.type === "RequestDenied" ? event.by : ctx.actor;
    const entry: AuditEntry = { id: deps.ids.next("aud"), at, actor, source: ctx.source, ...row };
    if (ctx.targetUserId) entry.targetUserId = ctx.targetUserId;
    if (ctx.packageId) entry.packageId = ctx.packageId;
    return [entry];
  });
}

/** A row for a fact no event carries (a resource granted, a review completed): new id, current time. */
export function auditRow(deps: AppDeps, entry: Omit<AuditEntry, "id" | "at">): AuditEntry {
  return { id: deps.ids.next("aud"), at: nowIso(deps), ...entry };
}

/**
 * Deadlines go into the due index before the state that needs them is saved: a crash in between
 * leaves a deadline whose handler finds nothing to do (handlers reload and check), never a saved
 * request or assignment that nothing will come back to (a decision window, an expiry). Returns the
 * step without deadlines, so `applyEffects` does not write them again.
 */
export async function scheduleFirst<S extends { deadlines: Deadline[] }>(deps: AppDeps, step: S): Promise<S> {
  if (step.deadlines.length > 0) await deps.due.schedule(step.deadlines);
  return { ...step, deadlines: [] };
}

/**
 * After a save: deadlines into the due index and rows into the audit trail (independent stores,
 * written side by side), then events to the sink. `extraRows` are further audit rows of the same
 * step, appended in the same call.
 */
export async function applyEffects(
  deps: AppDeps,
  step: { events: DomainEvent[]; deadlines: Deadline[] },
  ctx: ActionContext,
  extraRows: (rows: AuditEntry[]) => AuditEntry[] = () => [],
): Promise<void> {
  const stepRows = auditEntries(deps, step.events, ctx);
  const rows = [...stepRows, ...extraRows(stepRows)];
  await Promise.all([
    step.deadlines.length > 0 ? deps.due.schedule(step.deadlines) : undefined,
    rows.length > 0 ? deps.audit.append(rows) : undefined,
  ]);
  if (step.events.length > 0) await deps.events.publish(step.events);
}

/** Audits a refused attempt (a card click or command the rules turned down). */
export async function auditRefusal(
  deps: AppDeps,
  ctx: ActionContext & { subject: string; code: string; message: string; action?: AuditAction },
): Promise<void> {
  const entry: AuditEntry = {
    id: deps.ids.next("aud"),
    at: nowIso(deps),
    actor: ctx.actor,
    action: ctx.action ?? "cardAction.refused",
    subject: ctx.subject,
    source: ctx.source,
    reason: ctx.message,
    details: { code: ctx.code },
  };
  if (ctx.targetUserId) entry.targetUserId = ctx.targetUserId;
  if (ctx.packageId) entry.packageId = ctx.packageId;
  await deps.audit.append([entry]);
}
