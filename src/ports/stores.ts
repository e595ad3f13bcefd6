import type {
  AccessRequest,
  AccessReview,
  Assignment,
  AuditEntry,
  Deadline,
  GovernanceConfig,
  Instant,
  UserId,
} from "../domain/model";
import type { ConversationStore } from "./conversations";
import type { Versioned } from "./versioned";

/**
 * Requests. The store keeps its own index rows (by target user, by requester, by approver of the
 * current stage) in step with the entity; callers only create and update.
 */
export interface RequestStore {
  get(id: string): Promise<Versioned<AccessRequest> | undefined>;
  /** Throws AlreadyExistsError if the id is taken. Returns the new ETag. */
  create(request: AccessRequest): Promise<string>;
  /** Compare-and-swap on `etag`; throws ConcurrencyError if it changed. Returns the new ETag. */
  update(request: AccessRequest, etag: string): Promise<string>;
  /** Requests for or by the user, newest first. */
  listForUser(userId: UserId, limit?: number): Promise<AccessRequest[]>;
  /** Requests pending at a stage where the user is a fixed (or escalation) approver. */
  listPendingForApprover(userId: UserId): Promise<AccessRequest[]>;
}

export interface AssignmentStore {
  get(id: string): Promise<Versioned<Assignment> | undefined>;
  create(assignment: Assignment): Promise<string>;
  update(assignment: Assignment, etag: string): Promise<string>;
  listForUser(userId: UserId): Promise<Assignment[]>;
  listForPackage(packageId: string): Promise<Assignment[]>;
}

export interface ReviewStore {
  get(id: string): Promise<Versioned<AccessReview> | undefined>;
  create(review: AccessReview): Promise<string>;
  update(review: AccessReview, etag: string): Promise<string>;
  listForPackage(packageId: string): Promise<AccessReview[]>;
  /** In-progress reviews with an item the user must review. */
  listActiveForReviewer(userId: UserId): Promise<AccessReview[]>;
}

/** The declared catalogs, packages, policies and connected organisations. Small: read whole. */
export interface GovernanceStore {
  load(): Promise<GovernanceConfig>;
  /** Replace the stored configuration with `next`, writing only what differs. */
  save(next: GovernanceConfig): Promise<void>;
}

/** One row of the due-work index: a deadline. */
export type DueItem = Deadline;

export interface DueWorkIndex {
  /** Idempotent: scheduling the same item twice stores it once. */
  schedule(items: DueItem[]): Promise<void>;
  /** Items due at or before `until`, oldest first, that are not claimed by a live claim. */
  listDue(until: Instant, limit: number): Promise<Versioned<DueItem>[]>;
  /** Claim with compare-and-swap until `leaseUntil`; false if another sweeper got it first. */
  claim(
    item: Versioned<DueItem>,
    owner: string,
    leaseUntil: Instant,
  ): Promise<Versioned<DueItem> | undefined>;
  /** Remove a finished item. */
  complete(item: Versioned<DueItem>): Promise<void>;
}

/** One row that lets only one scheduler instance sweep at a time. */
export interface LeaseStore {
  /** Take or renew the named lease if free, expired, or already ours. */
  acquire(name: string, owner: string, now: Instant, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

export interface AuditQuery {
  subject?: string;
  targetUserId?: UserId;
  from?: Instant;
  to?: Instant;
  limit?: number;
}

/** Append-only audit trail; entries come back newest first. */
export interface AuditLog {
  append(entries: AuditEntry[]): Promise<void>;
  query(query: AuditQuery): Promise<AuditEntry[]>;
}

/** Every store port, as the composition root and tests wire them. */
export interface Stores {
  requests: RequestStore;
  assignments: AssignmentStore;
  reviews: ReviewStore;
  governance: GovernanceStore;
  due: DueWorkIndex;
  leases: LeaseStore;
  audit: AuditLog;
  conversations: ConversationStore;
}
