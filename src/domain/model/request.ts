import type { Instant, UserId } from "./ids";
import type { DomainErrorCode } from "../errors";
import type { Invitation } from "../external/invitation";

export type RequestType =
  | "userAdd"
  | "userExtend"
  | "userRemove"
  | "adminAdd"
  | "adminRemove"
  | "systemAdd"
  | "systemRemove"
  | "onBehalfAdd";

export type RequestState =
  | "submitted"
  | "pendingApproval"
  | "approved"
  | "scheduled"
  | "delivering"
  | "delivered"
  | "partiallyDelivered"
  | "deliveryFailed"
  | "denied"
  | "canceled"
  /** No decision before the decision window ended. */
  | "expired";

export const OPEN_REQUEST_STATES: readonly RequestState[] = [
  "submitted",
  "pendingApproval",
  "approved",
  "scheduled",
  "delivering",
];

export interface StageDecision {
  outcome: "approve" | "deny";
  /** The approver, or "system" for an automatic denial. */
  by: UserId | "system";
  /** The approver a delegate decided for ("Diego Siciliani for Megan Bowen"); absent otherwise. */
  onBehalfOf?: UserId;
  at: Instant;
  justification: string;
}

/**
 * One approval stage of one request; approvers are fixed when the stage begins.
 * `index` is 0-based (its position in `stages`); commands, events, deadlines and cards use the
 * 1-based stage number (`index + 1`).
 */
export interface ApprovalStage {
  index: number;
  approvers: UserId[];
  /** True when the primaries resolved to nobody and the fallback approvers were used. */
  fallbackUsed: boolean;
  startedAt: Instant;
  /** End of the decision window: the request is denied automatically after it. */
  dueAt: Instant;
  escalateAt?: Instant;
  escalationApprovers: UserId[];
  escalated: boolean;
  remindedAt?: Instant;
  decision?: StageDecision;
  /** People whose approval card Teams refused for good (403 after a refused install, 404). */
  unreachable?: UserId[];
  /** Fallback approvers added (and joined to `approvers`) because nobody of the stage could be reached. */
  fallbackAdded?: { at: Instant; approvers: UserId[] };
}

export interface AccessRequest {
  id: string;
  type: RequestType;
  /** Who asked (a manager for on-behalf requests, "system" for auto-assignment). */
  requesterId: UserId | "system";
  /** Who gets (or loses) the access. */
  targetUserId: UserId;
  packageId: string;
  policyId: string;
  justification: string;
  answers: Record<string, string>;
  schedule: { startAt?: Instant; endAt?: Instant };
  state: RequestState;
  stages: ApprovalStage[];
  /** Index into `stages` while pending approval. */
  currentStage?: number;
  /**
   * Sponsor-initiated external access: the partner to invite (the requester is the sponsor). The
   * target is an invitee id until the approved invitation created the guest account.
   */
  invitation?: Invitation;
  /** Set for extend/remove requests and once delivery created an assignment. */
  assignmentId?: string;
  /** Why the request ended the way it did (denial reason, cancel reason, delivery problem). */
  outcomeReason?: string;
  /** The stable code behind the outcome when a rule decided it (e.g. "APPROVAL.NO_APPROVER"). */
  outcomeCode?: DomainErrorCode;
  createdAt: Instant;
  updatedAt: Instant;
  /** Bumped on every change; a card shows the version it was rendered from. */
  revision: number;
  /**
   * The revision at which what an approver decides on last changed (submission, a stage start).
   * A card older than this is stale; reminders and escalation do not make a card stale.
   */
  materialRevision?: number;
  /**
   * Ids of the last effect batches saved with this state (newest last): a journaled batch whose id
   * is here belongs to a transition that was saved, one whose id is not was never saved.
   */
  effectBatchIds?: string[];
}
