import type { AccessRequest } from "../../domain/model";
import { currentApprovers, peopleOfRequest } from "../../domain/request/participants";
import { type SodConflict, findSodConflicts } from "../../domain/sod/separation-of-duties";
import type { ConversationStore } from "../../ports/conversations";
import type { ApprovalCardModel, ViewContext } from "../../ports/read-models";
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
}

/** Separation-of-duties conflicts of the person who would get the access, for the approver to see. */
async function sodConflicts(
  sources: RequestCardSources,
  ctx: ViewContext,
  request: AccessRequest,
): Promise<SodConflict[]> {
  const pkg = ctx.index.package(request.packageId);
  if (!pkg) return [];
  const [assignments, requests, groupIds] = await Promise.all([
    sources.assignments.listForUser(request.targetUserId),
    sources.requests.listForUser(request.targetUserId),
    sources.directory.getUserGroupIds(request.targetUserId).catch(() => []),
  ]);
  return findSodConflicts(pkg, {
    assignments,
    requests: requests.filter((r) => r.id !== request.id),
    groupIds,
    packagesById: ctx.index.packageMap(),
  });
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
    approvers.length > 0 ? sodConflicts(sources, ctx, request) : Promise.resolve([]),
  ]);
  return { ctx, refreshUserIds, sodConflicts: conflicts, ...(delegates.size > 0 ? { delegates } : {}) };
}
