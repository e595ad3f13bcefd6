import type { AccessRequest, UserId } from "../../domain/model";
import { findSodConflicts } from "../../domain/sod/separation-of-duties";
import type { ConversationStore } from "../../ports/conversations";
import type { CardMessage } from "../../ports/notifier";
import type { AssignmentStore, RequestStore } from "../../ports/stores";
import { type ApprovalNotice, approvalCardFor } from "../../views/approval";
import type { ViewContext } from "../../views/context";
import { type ViewSources, loadViewContext, teamsUserIds } from "./view-context";

export interface RequestCardSources extends ViewSources {
  requests: RequestStore;
  assignments: AssignmentStore;
  conversations: ConversationStore;
}

/** Everyone a request's cards may name. */
export function peopleOfRequest(request: AccessRequest): Array<UserId | "system"> {
  return [
    request.requesterId,
    request.targetUserId,
    ...request.stages.flatMap((s) => [...s.approvers, ...s.escalationApprovers, s.decision?.by ?? "system"]),
  ];
}

/** Approvers who may decide the current stage now. */
export function currentApprovers(request: AccessRequest): UserId[] {
  if (request.currentStage === undefined) return [];
  const stage = request.stages[request.currentStage];
  if (!stage || stage.decision) return [];
  return stage.escalated ? [...new Set([...stage.approvers, ...stage.escalationApprovers])] : stage.approvers;
}

/** Separation-of-duties conflicts of the person who would get the access, for the approver to see. */
async function sodWarnings(
  sources: RequestCardSources,
  ctx: ViewContext,
  request: AccessRequest,
): Promise<string[]> {
  const pkg = ctx.index.package(request.packageId);
  if (!pkg) return [];
  const [assignments, requests, groupIds] = await Promise.all([
    sources.assignments.listForUser(request.targetUserId),
    sources.requests.listForUser(request.targetUserId),
    sources.directory.getUserGroupIds(request.targetUserId).catch(() => []),
  ]);
  const conflicts = findSodConflicts(pkg, {
    assignments,
    requests: requests.filter((r) => r.id !== request.id),
    groupIds,
    packagesById: ctx.index.packageMap(),
  });
  return conflicts.map((c) =>
    c.kind === "group"
      ? `Is a member of a group that conflicts with this package`
      : c.kind === "assignment"
        ? `Already has ${c.packageName}, which conflicts with this package`
        : `Has an open request for ${c.packageName}, which conflicts with this package`,
  );
}

/** The approval card of a request as `viewerId` should see it, rendered from stored state. */
export async function approvalMessage(
  sources: RequestCardSources,
  request: AccessRequest,
  viewerId: UserId | undefined,
  notice?: ApprovalNotice,
): Promise<CardMessage> {
  const ctx = await loadViewContext(sources, peopleOfRequest(request));
  const approvers = currentApprovers(request);
  const [refreshUserIds, warnings] = await Promise.all([
    teamsUserIds(sources.conversations, approvers),
    approvers.length > 0 ? sodWarnings(sources, ctx, request) : Promise.resolve([]),
  ]);
  return approvalCardFor(ctx, request, viewerId, { refreshUserIds, sodWarnings: warnings, notice });
}
