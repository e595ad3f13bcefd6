import type {
  AccessRequest,
  AccessReview,
  ApprovalStage,
  Assignment,
  AuditEntry,
} from "../../src/domain/model";

let serial = 0;
/** A unique id per call, so tests sharing a store never collide. */
export function uid(prefix: string): string {
  serial += 1;
  return `${prefix}_${serial}_${Math.random().toString(36).slice(2, 8)}`;
}

export function at(minutes: number): string {
  return new Date(Date.UTC(2026, 10, 23, 10, 0) + minutes * 60_000).toISOString();
}

export function stage(index: number, approvers: string[], extra: Partial<ApprovalStage> = {}): ApprovalStage {
  return {
    index,
    approvers,
    fallbackUsed: false,
    startedAt: at(0),
    dueAt: at(14 * 24 * 60),
    escalationApprovers: [],
    escalated: false,
    ...extra,
  };
}

export function aRequest(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: uid("req"),
    type: "userAdd",
    requesterId: "user-ann",
    targetUserId: "user-ann",
    packageId: "pkg-sales",
    policyId: "pol-sales",
    justification: "quarter close",
    answers: {},
    schedule: {},
    state: "submitted",
    stages: [],
    createdAt: at(0),
    updatedAt: at(0),
    revision: 1,
    ...overrides,
  };
}

/** The same request pending at `stageIndex` with the given approvers per stage. */
export function pendingAt(
  request: AccessRequest,
  approversPerStage: string[][],
  stageIndex: number,
): AccessRequest {
  return {
    ...request,
    state: "pendingApproval",
    stages: approversPerStage.map((approvers, i) => stage(i, approvers)),
    currentStage: stageIndex,
    revision: request.revision + 1,
  };
}

export function anAssignment(overrides: Partial<Assignment> = {}): Assignment {
  return {
    id: uid("asg"),
    userId: "user-ann",
    packageId: "pkg-sales",
    policyId: "pol-sales",
    requestId: uid("req"),
    state: "delivered",
    startAt: at(0),
    resources: [],
    remindersSent: [],
    createdAt: at(0),
    updatedAt: at(0),
    revision: 1,
    ...overrides,
  };
}

export function aReview(overrides: Partial<AccessReview> = {}): AccessReview {
  return {
    id: uid("rev"),
    packageId: "pkg-sales",
    policyId: "pol-sales",
    period: "2026-11",
    startAt: at(0),
    endAt: at(14 * 24 * 60),
    state: "inProgress",
    items: [],
    createdAt: at(0),
    revision: 1,
    ...overrides,
  };
}

export function anAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: uid("aud"),
    at: at(0),
    actor: "user-ann",
    action: "request.submitted",
    subject: "request:r1",
    source: "chat:command",
    ...overrides,
  };
}
