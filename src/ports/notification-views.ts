import type { AccessRequest, AccessReview, Assignment, DriftFinding, Instant, UserId } from "../domain/model";
import type { OutgoingCard } from "./notifier";
import type { ApprovalCardModel, ApprovalsDigestModel, ReviewCardModel, ViewContext } from "./read-models";

/** A reviewer denied the access in this running access review: the access ends when it completes. */
export interface EndingReview {
  endAt: Instant;
  period: string;
}

/** A custom extension's call that failed for good, as its catalog owners are told. */
export interface ExtensionFailure {
  extensionId: string;
  eventType: string;
  subject: string;
  packageId: string;
  error: string;
}

/** Why an expiry reminder card is closed. */
export type ExpiryChange = "extended" | "expired" | "removed";

/**
 * The cards the notifications send, drawn by `views/` (which the application may not import): the
 * application decides who is told what, these draw it, the notifier delivers it.
 */
export interface NotificationViews {
  approval(model: ApprovalCardModel, request: AccessRequest, viewerId: UserId | undefined): OutgoingCard;
  /** One card with every request waiting for a busy approver, instead of one card each. */
  approvalsDigest(model: ApprovalsDigestModel): OutgoingCard;
  requestStatus(ctx: ViewContext, request: AccessRequest, viewerId?: UserId): OutgoingCard;
  stageApproved(ctx: ViewContext, request: AccessRequest, stageNumber: number): OutgoingCard;
  scheduled(ctx: ViewContext, request: AccessRequest, startAt: Instant): OutgoingCard;
  requestEnded(ctx: ViewContext, request: AccessRequest, by: UserId | "system"): OutgoingCard;
  /** `viewer`: who reads it, when not the holder (the requester of an on-behalf request). */
  delivered(ctx: ViewContext, assignment: Assignment, viewer?: UserId): OutgoingCard;
  extended(ctx: ViewContext, assignment: Assignment): OutgoingCard;
  accessEnded(ctx: ViewContext, assignment: Assignment): OutgoingCard;
  channelNotice(
    ctx: ViewContext,
    assignment: Assignment,
    change: "granted" | "removed" | "expired",
  ): OutgoingCard;
  expiryReminder(ctx: ViewContext, assignment: Assignment, endsWithReview?: EndingReview): OutgoingCard;
  expiryClosed(ctx: ViewContext, assignment: Assignment, change: ExpiryChange): OutgoingCard;
  review(model: ReviewCardModel, review: AccessReview, reviewerId: UserId, reminder?: boolean): OutgoingCard;
  reviewCompleted(ctx: ViewContext, review: AccessReview, reviewerId: UserId): OutgoingCard;
  /** For catalog owners: revokes of ended access retrying, failed (Retry) or done. */
  removalProblem(ctx: ViewContext, assignment: Assignment): OutgoingCard;
  /** For catalog owners: grants that failed with no retry left (Reprocess), or done. */
  deliveryProblem(ctx: ViewContext, assignment: Assignment): OutgoingCard;
  /** For catalog owners: resources whose members differ from the assignments (reconciliation). */
  drift(ctx: ViewContext, catalogId: string, findings: DriftFinding[]): OutgoingCard;
  /** For catalog owners: a notice about their package could not reach a person. */
  undeliverable(ctx: ViewContext, personId: UserId, packageId: string, reason: string): OutgoingCard;
  /** To a guest's sponsors: the guest lifecycle blocked their sign-in or deleted the account. */
  guestAccountChanged(
    ctx: ViewContext,
    change: { displayName: string; organizationId: string; action: "block" | "delete"; reason: string },
  ): OutgoingCard;
  /** To catalog owners: a custom extension's call failed for good. */
  extensionFailed(ctx: ViewContext, failure: ExtensionFailure): OutgoingCard;
}
