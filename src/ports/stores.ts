import type { StepUpProofStore } from "./step-up";
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
import type { AuditChainStore } from "./audit-chain";
import type { ClaimStore } from "./claims";
import type { ConversationStore } from "./conversations";
import type { DeliveryLog } from "./deliveries";
import type { Versioned } from "./versioned";
import type { DelegationStore } from "./delegations";
import type { UsedLinkStore } from "./signed-links";

/**
 * Requests. The store keeps its own index rows (by target user, by requester, by approver of the
 * current stage) in step with the entity; callers only create and update.
 */
export interface RequestStore {
  get(id: string): Promise<Versioned<AccessRequest> | undefined>;
  /**
   * The version this process last read or saved, if it still remembers it, without reading storage.
   * Another instance may have saved since: only for a first attempt whose compare-and-swap confirms
   * it. Whatever it would refuse or tell the person must be judged again on a read.
   */
  remembered(id: string): Versioned<AccessRequest> | undefined;
  /** Throws AlreadyExistsError if the id is taken. Returns the new ETag. */
  create(request: AccessRequest): Promise<string>;
  /**
   * Writes ahead what a create of this request needs before its entity (the table store's index
   * rows), so that it can go beside other work (the claim); the create then writes the entity.
   * `abandon` takes it back when the create does not come.
   */
  prepare(request: AccessRequest): Promise<void>;
  abandon(request: AccessRequest): Promise<void>;
  /**
   * Compare-and-swap on `etag`; throws ConcurrencyError if it changed. Returns the new ETag. The swap
   * waits for `after` (what must be stored before this state: the effects journal), and rejects,
   * swapping nothing, if it does; the store's own rows ahead of the swap (index rows) go beside it.
   */
  update(request: AccessRequest, etag: string, after?: Promise<void>): Promise<string>;
  /** Requests for or by the user, newest first. */
  listForUser(userId: UserId, limit?: number): Promise<AccessRequest[]>;
  /** Requests pending at a stage where the user is a fixed (or escalation) approver. */
  listPendingForApprover(userId: UserId): Promise<AccessRequest[]>;
  /** Open requests (OPEN_REQUEST_STATES) for an access package, oldest first: "pending <package>". */
  listOpenForPackage(packageId: string): Promise<AccessRequest[]>;
}

export interface AssignmentStore {
  get(id: string): Promise<Versioned<Assignment> | undefined>;
  create(assignment: Assignment): Promise<string>;
  /** As `RequestStore.prepare`: a create's index rows written ahead, beside other work; `abandon` takes them back. */
  prepare(assignment: Assignment): Promise<void>;
  abandon(assignment: Assignment): Promise<void>;
  /** Compare-and-swap on `etag`, waiting for `after` as `RequestStore.update` does. */
  update(assignment: Assignment, etag: string, after?: Promise<void>): Promise<string>;
  listForUser(userId: UserId): Promise<Assignment[]>;
  listForPackage(packageId: string): Promise<Assignment[]>;
}

export interface ReviewStore {
  get(id: string): Promise<Versioned<AccessReview> | undefined>;
  /**
   * The review with only the items one of these people reviews (all of theirs), in item order: what
   * a decision needs, without reading a 20,000-item review whole. Its version may be updated: an
   * update stores the header and the items it carries and leaves every other item as it was.
   */
  getForReviewers(id: string, reviewerIds: UserId[]): Promise<Versioned<AccessReview> | undefined>;
  create(review: AccessReview): Promise<string>;
  /**
   * Compare-and-swap on `etag`. Stores the header and the given items (matched by assignment id);
   * items the value does not carry keep their stored state (a review's items never come or go).
   */
  update(review: AccessReview, etag: string): Promise<string>;
  listForPackage(packageId: string): Promise<AccessReview[]>;
  /**
   * In-progress reviews with an item the user must review, each with only the items the user and
   * `readFor` review (as `getForReviewers`): a reviewer's list never reads a large review whole.
   */
  listActiveForReviewer(userId: UserId, readFor?: UserId[]): Promise<AccessReview[]>;
}

/** One stored version of the governance configuration. */
export interface GovernanceVersion {
  /** The version id; undefined while nothing has been stored. */
  version?: string;
  config: GovernanceConfig;
}

/** A switch to a new version of the governance configuration (see GovernanceStore.publish). */
export interface GovernancePublish {
  /** A version id never used before; the audit entry ids of the switch usually derive from it. */
  version: string;
  /** The version the change was decided on (undefined: nothing stored yet). */
  base: string | undefined;
  config: GovernanceConfig;
  /** What the switch promises the audit log: stored with the version, owed until confirmed. */
  audit: AuditEntry[];
}

/** Audit entries a switch promised that are not yet confirmed to be in the audit log. */
export interface OwedAudit {
  version: string;
  entries: AuditEntry[];
}

/**
 * The declared catalogs, packages, policies and connected organisations, kept as versions: a new
 * version is written whole where nobody reads it, then one compare-and-swap makes it current. A
 * reader, a crash or a storage error sees the old configuration or the new one, never a mix.
 * Small: read whole.
 */
export interface GovernanceStore {
  /**
   * The current configuration. A cache may serve it for a few seconds after confirming its version
   * (docs/governance.md, "After apply"); `fresh` confirms the version with storage now, for work
   * that must not act on a configuration that was just replaced (due-work handlers).
   */
  load(options?: { fresh?: boolean }): Promise<GovernanceConfig>;
  /** The id of the current version by one point read (never cached); undefined while none is stored. */
  currentVersion(): Promise<string | undefined>;
  /** The current version, read from storage (never from a cache): the base of a change. */
  current(): Promise<GovernanceVersion>;
  /**
   * Stores `config` as `version` with the audit entries its switch promises, then makes it current
   * if `base` still is; otherwise throws ConcurrencyError and nothing visible changes. A version id
   * used before throws AlreadyExistsError. After the switch the entries are owed (`owedAudit`) until
   * `confirmAudited`, across later switches too.
   */
  publish(change: GovernancePublish): Promise<void>;
  /** What switches promised the audit log and nobody confirmed yet, oldest switch first. */
  owedAudit(): Promise<OwedAudit[]>;
  /** These versions' entries are in the audit log (idempotent). */
  confirmAudited(versions: string[]): Promise<void>;
  /** Deletes versions nobody needs: all but the current one, the owed ones and a few before them. */
  prune(): Promise<void>;
  /** Makes `next` current whatever is current now, promising no audit entry (seeding a store). */
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
  /** Remove items whose work is done, whoever holds them (missing ones are fine). */
  remove(items: DueItem[]): Promise<void>;
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
  /** The trail and the chain behind it (verification, anchors, retention). */
  audit: AuditLog & AuditChainStore;
  conversations: ConversationStore;
  claims: ClaimStore;
  deliveries: DeliveryLog;
  /** Approvers' delegations (`delegate my approvals to ...`). */
  delegations: DelegationStore;
  /** Signed download links already used (each works once). */
  usedLinks: UsedLinkStore;
  /** Each approver's latest step-up sign-in, shared by every instance. */
  stepUpProofs: StepUpProofStore;
}
