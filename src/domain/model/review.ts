import type { Instant, UserId } from "./ids";

export type ReviewDecision = "approve" | "deny";

export interface ReviewItem {
  assignmentId: string;
  userId: UserId;
  /** Who must review this item (the user's manager, named reviewers, or the user for self-review). */
  reviewers: UserId[];
  recommendation: ReviewDecision | "none";
  recommendationReason: string;
  /**
   * When the assignment started, as the review found it: the card's "has had it since" without a
   * read per item (absent in reviews started before it was kept).
   */
  since?: Instant;
  decision?: {
    outcome: ReviewDecision;
    by: UserId;
    /** The reviewer a delegate decided for ("Diego Siciliani for Megan Bowen"); absent otherwise. */
    onBehalfOf?: UserId;
    at: Instant;
    justification: string;
  };
  /** What was done when the review ended. */
  applied?: "kept" | "removed";
  /** Fallback reviewers added (and joined to `reviewers`) when nobody had decided in time. */
  addedReviewers?: UserId[];
}

/** One occurrence of a policy's recurring access review. */
export interface AccessReview {
  id: string;
  packageId: string;
  policyId: string;
  /** Label of the period, e.g. "2026-11". */
  period: string;
  startAt: Instant;
  endAt: Instant;
  state: "inProgress" | "completed";
  items: ReviewItem[];
  remindedAt?: Instant;
  /** When the fallback reviewers were given the undecided items (`escalateAfterDays`). */
  escalatedAt?: Instant;
  createdAt: Instant;
  revision: number;
  /**
   * Ids of the last effect batches saved with this state (newest last): a journaled batch whose id
   * is here belongs to a transition that was saved, one whose id is not was never saved.
   */
  effectBatchIds?: string[];
}
