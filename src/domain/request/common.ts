import type {
  AccessRequest,
  ApprovalStage,
  Deadline,
  DomainEvent,
  Instant,
  RequestState,
  UserId,
} from "../model";
import { addMinutes, isAfter } from "../time";

/** The default decision window, in days, when a stage does not set one. */
export const DEFAULT_DECISION_WINDOW_DAYS = 14;

export const PENDING_STATES: readonly RequestState[] = ["submitted", "pendingApproval"];

export const isPending = (r: AccessRequest): boolean => PENDING_STATES.includes(r.state);

/** A new version of the request: every change bumps the revision cards are compared against. */
export const touch = (r: AccessRequest, now: Instant, patch: Partial<AccessRequest>): AccessRequest => ({
  ...r,
  ...patch,
  updatedAt: now,
  revision: r.revision + 1,
});

/** The stage being decided, if the request is pending and the stage has begun. */
export function currentStage(r: AccessRequest): ApprovalStage | undefined {
  if (!isPending(r) || r.currentStage === undefined) return undefined;
  return r.stages[r.currentStage];
}

/** The 0-based index of the stage that must begin next, if the request waits for one. */
export function awaitingStage(r: AccessRequest): number | undefined {
  if (!isPending(r)) return undefined;
  const next = r.currentStage ?? 0;
  return r.stages.length === next ? next : undefined;
}

/** Everyone who may decide the stage now: its fixed approvers, plus escalation approvers once escalated. */
export function activeApprovers(stage: ApprovalStage): UserId[] {
  return stage.escalated ? unique([...stage.approvers, ...stage.escalationApprovers]) : stage.approvers;
}

export const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** How long a crash may delay delivery: a delivering request always has a retry this far ahead. */
export const DELIVERY_SAFETY_NET_MINUTES = 5;

/**
 * The deadline every move into "delivering" sets, stored before the state: if the process dies
 * before delivery finishes, the retry resumes it (delivery is idempotent).
 */
export function deliverySafetyNet(requestId: string, now: Instant): Deadline {
  return {
    kind: "deliveryRetry",
    dueAt: addMinutes(now, DELIVERY_SAFETY_NET_MINUTES),
    subjectId: requestId,
    discriminator: "safety",
  };
}

/**
 * After the last approval: scheduled when the requester picked a later start, else delivering.
 */
export function afterApproval(
  r: AccessRequest,
  now: Instant,
): { next: AccessRequest; events: DomainEvent[]; deadlines: Deadline[] } {
  const events: DomainEvent[] = [{ type: "RequestApproved", requestId: r.id }];
  const startAt = r.schedule.startAt;
  if (startAt !== undefined && isAfter(startAt, now)) {
    events.push({ type: "RequestScheduled", requestId: r.id, startAt });
    return {
      next: { ...r, state: "scheduled", currentStage: undefined },
      events,
      deadlines: [{ kind: "scheduledStart", dueAt: startAt, subjectId: r.id, discriminator: "start" }],
    };
  }
  return {
    next: { ...r, state: "delivering", currentStage: undefined },
    events,
    deadlines: [deliverySafetyNet(r.id, now)],
  };
}
