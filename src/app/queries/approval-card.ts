import type { AccessRequest } from "../../domain/model";
import { currentApprovers, peopleOfRequest } from "../../domain/request/participants";
import {
  type SodConflict,
  findSodConflicts,
  hasIncompatiblePackages,
} from "../../domain/sod/separation-of-duties";
import type { ConversationStore } from "../../ports/conversations";
import type { ApprovalCardModel } from "../../ports/read-models";
import type { GovernanceIndex } from "../../domain/governance-index";
import type { AssignmentStore, RequestStore } from "../../ports/stores";
import { type ViewSources, loadViewContext, teamsUserIds } from "./view-context";
import type { DelegationStore } from "../../ports/delegations";
import { delegatesOf } from "../delegation/in-force";

export interface RequestCardSources extends ViewSources {
  requests: RequestStore;
  assignments: AssignmentStore;
  conversations: ConversationStore;
  /** Approvers' delegations: their delegates see the card with its buttons too. */
  delegations?: DelegationStore;
  /** Conflicts just loaded, shared by the clicker's answer and the notices of the same revision. */
  recentConflicts?: RecentConflicts;
}

/** How long loaded conflicts serve other renders of the same request revision. */
const CONFLICTS_REUSE_MS = 5_000;
const REVISIONS_KEPT = 1_000;

/**
 * The separation-of-duties conflicts this process loaded per request revision, for a few seconds.
 * A click is answered with the card for the request's new revision while the notices of the same
 * transition render that revision for the next approvers: without this each read the target's
 * requests and assignments again. The conflicts shown are as fresh as a render a few seconds
 * earlier (they are the approver's information; the rules check them when deciding); a new
 * revision of the request always loads anew. Delegates and people are not kept here: they have
 * their own caches, which a change of a delegation clears at once.
 */
export class RecentConflicts {
  private readonly loaded = new Map<string, { at: number; conflicts: Promise<SodConflict[]> }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(request: AccessRequest, load: () => Promise<SodConflict[]>): Promise<SodConflict[]> {
    const key = `${request.id}@${request.revision}`;
    const at = this.now();
    const known = this.loaded.get(key);
    if (known && at - known.at < CONFLICTS_REUSE_MS) return known.conflicts;
    const conflicts = load();
    this.loaded.delete(key);
    this.loaded.set(key, { at, conflicts });
    // A failed load is not kept: the next render tries again.
    conflicts.catch(() => this.loaded.get(key)?.conflicts === conflicts && this.loaded.delete(key));
    // Oldest first: drop what expired, and beyond the cap.
    for (const [k, v] of this.loaded) {
      if (this.loaded.size <= REVISIONS_KEPT && at - v.at < CONFLICTS_REUSE_MS) break;
      this.loaded.delete(k);
    }
    return conflicts;
  }

  /** What a use case found for this revision itself (a submit that passed its check found none). */
  seed(request: AccessRequest, conflicts: SodConflict[]): void {
    void this.get(request, () => Promise.resolve(conflicts));
  }
}

type ConflictSources = Pick<RequestCardSources, "requests" | "assignments" | "directory">;

/** Separation-of-duties conflicts of the person who would get the access, for the approver to see. */
async function sodConflicts(
  sources: ConflictSources,
  index: GovernanceIndex,
  request: AccessRequest,
): Promise<SodConflict[]> {
  const pkg = index.package(request.packageId);
  if (!pkg) return [];
  // Only what can conflict is read: a package nothing is incompatible with needs neither list
  // (listing the person's requests reads each one's entity, this request's too: a second read of it
  // before a click's answer), and one without incompatible groups no directory lookup.
  const byPackage = hasIncompatiblePackages(pkg, index.packageMap());
  const user = request.targetUserId;
  const [assignments, requests, groupIds] = await Promise.all([
    byPackage ? sources.assignments.listForUser(user) : [],
    byPackage ? sources.requests.listForUser(user) : [],
    pkg.incompatibleGroupIds.length > 0 ? sources.directory.getUserGroupIds(user).catch(() => []) : [],
  ]);
  return findSodConflicts(pkg, {
    assignments,
    requests: requests.filter((r) => r.id !== request.id),
    groupIds,
    packagesById: index.packageMap(),
  });
}

/** The conflicts of this revision, shared when the sources keep recent ones. */
function conflictsOf(
  sources: ConflictSources & { recentConflicts?: RecentConflicts },
  index: GovernanceIndex,
  request: AccessRequest,
): Promise<SodConflict[]> {
  if (currentApprovers(request).length === 0) return Promise.resolve([]);
  const load = () => sodConflicts(sources, index, request);
  return sources.recentConflicts ? sources.recentConflicts.get(request, load) : load();
}

/**
 * Starts loading the conflicts the approval card of this new revision will show, while the use
 * case that saved it writes its audit rows: the clicker's answer then finds them loaded. Only
 * where recent conflicts are kept (the running bot); a failure is left to the card's own load.
 */
export function warmApprovalConflicts(
  sources: ConflictSources & { recentConflicts?: RecentConflicts },
  index: GovernanceIndex,
  request: AccessRequest,
): void {
  if (!sources.recentConflicts) return;
  conflictsOf(sources, index, request).catch(() => undefined);
}

/**
 * Starts loading the conflicts of a request before the decision that leaves it waiting for its next
 * stage is saved (they depend on the person's other requests and access, not on this revision), so
 * the clicker's answer and the next approvers' cards find them. Call the result with the saved
 * request. Only where recent conflicts are kept (the running bot).
 */
export function conflictsAhead(
  sources: ConflictSources & { recentConflicts?: RecentConflicts },
  index: GovernanceIndex,
  request: AccessRequest,
): (saved: AccessRequest) => void {
  const recent = sources.recentConflicts;
  if (!recent) return () => undefined;
  const loading = sodConflicts(sources, index, request);
  loading.catch(() => undefined);
  return (saved) => {
    if (saved.id === request.id && currentApprovers(saved).length > 0) void recent.get(saved, () => loading);
  };
}

/** What a request's approval card shows besides the request, loaded from storage and the directory. */
export async function approvalCardModel(
  sources: RequestCardSources,
  request: AccessRequest,
): Promise<ApprovalCardModel> {
  const approvers = currentApprovers(request);
  const delegates = await delegatesOf(sources, approvers);
  const ctx = await loadViewContext(sources, [...peopleOfRequest(request), ...delegates.keys()]);
  const [refreshUserIds, conflicts] = await Promise.all([
    teamsUserIds(sources.conversations, [...approvers, ...delegates.keys()]),
    conflictsOf(sources, ctx.index, request),
  ]);
  return { ctx, refreshUserIds, sodConflicts: conflicts, ...(delegates.size > 0 ? { delegates } : {}) };
}
