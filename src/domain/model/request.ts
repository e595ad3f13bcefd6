import type { Instant, UserId } from "./ids";

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
  at: Instant;
  justification: string;
}

/** One approval stage of one request; approvers are fixed when the stage begins. */
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
  /** Set for extend/remove requests and once delivery created an assignment. */
  assignmentId?: string;
  /** Why the request ended the way it did (denial reason, cancel reason, delivery problem). */
  outcomeReason?: string;
  createdAt: Instant;
  updatedAt: Instant;
  /** Bumped on every change; a card shows the version it was rendered from. */
  revision: number;
}
