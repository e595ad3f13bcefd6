import type { Instant, UserId } from "./ids";

/**
 * What happened, as told by a transition. Use cases turn events into audit rows, notifications,
 * card refreshes and provisioning.
 */
export type DomainEvent =
  | {
      type: "RequestSubmitted";
      requestId: string;
      /** What the requester wrote, for the audit entry (older journals lack them). */
      justification?: string;
      /** The answers, capped for the audit entry (src/domain/audit/submitted.ts). */
      answers?: Record<string, string>;
    }
  | { type: "StageStarted"; requestId: string; stage: number; approvers: UserId[]; fallbackUsed: boolean }
  | {
      type: "StageApproved";
      requestId: string;
      stage: number;
      by: UserId;
      justification: string;
      /** The approver a delegate decided for. */
      onBehalfOf?: UserId;
    }
  | { type: "RequestApproved"; requestId: string }
  | {
      type: "RequestDenied";
      requestId: string;
      stage?: number;
      by: UserId | "system";
      reason: string;
      /** The approver a delegate decided for. */
      onBehalfOf?: UserId;
    }
  | { type: "RequestCanceled"; requestId: string; by: UserId; reason: string }
  | { type: "RequestExpired"; requestId: string; stage: number }
  | { type: "StageEscalated"; requestId: string; stage: number; approvers: UserId[] }
  | { type: "ApproversReminded"; requestId: string; stage: number; approvers: UserId[] }
  /** Nobody of the stage could be reached: its fallback approvers were added and get the card. */
  | {
      type: "FallbackApproversAdded";
      requestId: string;
      stage: number;
      approvers: UserId[];
      unreachable: UserId[];
    }
  | { type: "RequestScheduled"; requestId: string; startAt: Instant }
  | { type: "DeliveryStarted"; requestId: string; assignmentId: string }
  | {
      type: "AssignmentDelivered";
      assignmentId: string;
      state: "delivered" | "partiallyDelivered" | "deliveryFailed";
    }
  | { type: "AssignmentExtended"; assignmentId: string; endAt?: Instant }
  | { type: "AssignmentRemoved"; assignmentId: string; reason: string }
  | { type: "AssignmentExpired"; assignmentId: string }
  /** Revokes of an ended assignment failed for good; `retriedBy`: after that owner's Retry. */
  | { type: "RemovalFailed"; assignmentId: string; error: string; retriedBy?: UserId }
  /** A later attempt took away what the first could not: now the access is really gone. */
  | { type: "RemovalCompleted"; assignmentId: string }
  /** A catalog owner asked to try the revokes again now. */
  | { type: "RemovalRetried"; assignmentId: string; by: UserId }
  /** Grants of an assignment failed with no retry left (`roles`: their names); owners may Reprocess. */
  | { type: "GrantsFailed"; assignmentId: string; roles: string[] }
  /** The reconciliation sweep found a catalog's resources differing from its assignments. */
  | { type: "DriftFound"; catalogId: string; resources: DriftFinding[] }
  /** Access ends soon: tell the user (with Extend when `canExtend`). */
  | {
      type: "ExpiryReminderDue";
      assignmentId: string;
      endAt: Instant;
      offsetHours: number;
      canExtend: boolean;
    }
  | { type: "ReviewStarted"; reviewId: string }
  /** One or more items decided by one reviewer ("recommendation" when they accepted the recommendations). */
  | {
      type: "ReviewItemDecided";
      reviewId: string;
      assignmentIds: string[];
      by: UserId;
      outcome: "approve" | "deny" | "recommendation";
    }
  /** Midpoint reminder to the reviewers who still have items to decide. */
  | { type: "ReviewReminderDue"; reviewId: string; reviewerIds: UserId[] }
  /** Reviewers did not respond in time: the fallback reviewers were added to the undecided items. */
  | { type: "ReviewEscalated"; reviewId: string; reviewerIds: UserId[]; assignmentIds: string[] }
  | { type: "ReviewCompleted"; reviewId: string; removedAssignmentIds: string[] }
  /** An approver delegated: the delegate is sent the approval and review cards waiting for the approver. */
  | {
      type: "ApprovalsDelegated";
      approverId: UserId;
      delegateId: UserId;
      requestIds: string[];
      /** Access reviews in progress with items waiting for the approver. */
      reviewIds?: string[];
    }
  /** The guest lifecycle blocked a guest's sign-in or deleted the account: its sponsors are told. */
  | {
      type: "GuestAccountChanged";
      userId: UserId;
      displayName: string;
      organizationId: string;
      action: "block" | "delete";
      reason: string;
      sponsorIds: UserId[];
    }
  /** A custom extension's webhook failed for good: its catalog owners are told. */
  | {
      type: "ExtensionFailed";
      catalogId: string;
      extensionId: string;
      eventType: string;
      /** "request:<id>" or "assignment:<id>". */
      subject: string;
      packageId: string;
      error: string;
    };

/** One resource role of a drift report, by its grant key (`member:<groupId>`, ...). */
export interface DriftFinding {
  key: string;
  /** Holders no assignment grants, left in place (reported). */
  outOfBand: UserId[];
  /** Holders no assignment grants that the policies had removed. */
  removed: UserId[];
  /** Assignment holders whose grant was gone and was given back. */
  reapplied: UserId[];
}

/** The audit trail's vocabulary. */
export type AuditAction =
  | "request.submitted"
  | "request.approved"
  | "request.denied"
  | "request.canceled"
  | "request.expired"
  | "request.refused"
  | "stage.started"
  | "stage.approved"
  | "stage.escalated"
  | "stage.fallbackAdded"
  | "assignment.granted"
  | "assignment.partiallyGranted"
  | "assignment.deliveryFailed"
  | "assignment.extended"
  | "assignment.removed"
  | "assignment.expired"
  | "assignment.expiryReminded"
  | "assignment.removalFailed"
  | "assignment.removalCompleted"
  | "assignment.removalRetried"
  | "assignment.grantsFailed"
  | "assignment.reprocessed"
  | "resource.granted"
  | "resource.revoked"
  | "resource.reapplied"
  | "resource.outOfBandRemoved"
  | "review.started"
  | "review.decided"
  | "review.completed"
  | "review.escalated"
  | "cardAction.refused"
  | "approval.stepUpRequired"
  | "stepUp.verified"
  | "stepUp.refused"
  | "admin.viewed"
  | "admin.refused"
  | "delegation.started"
  | "delegation.ended"
  | "delegation.refused"
  | "config.changed"
  | "notification.undeliverable"
  | "extension.failed"
  | "extension.callbackRefused"
  | "guest.inviteRequested"
  | "guest.invited"
  | "guest.signInBlocked"
  | "guest.deleted";

/** One append-only row of the audit trail: who did what, when, why, from where. */
export interface AuditEntry {
  id: string;
  at: Instant;
  actor: UserId | "system";
  action: AuditAction;
  /** The entity the entry is about: "request:<id>", "assignment:<id>", "package:<id>", ... */
  subject: string;
  /** Who the access is for, when it concerns one user. */
  targetUserId?: UserId;
  packageId?: string;
  reason?: string;
  /** Where it came from: "card:approval", "chat:command", "scheduler", "governance:apply". */
  source: string;
  details?: Record<string, string>;
}
