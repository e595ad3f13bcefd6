import { accessMayRemain } from "../../domain/assignment/removal";
import type { AccessRequest, Assignment, UserId } from "../../domain/model";
import { peopleOfRequest } from "../../domain/request/participants";
import { mayView } from "../../domain/request/visibility";
import type { ViewContext } from "../../ports/read-models";
import type { AppDeps } from "../deps";
import { loadViewContext } from "./view-context";
import { principalsNow } from "../delegation/in-force";

/** A request with what its status card names. */
export interface RequestView {
  ctx: ViewContext;
  request: AccessRequest;
}

/** The context a request's cards need: everyone in it. */
export async function requestView(deps: AppDeps, request: AccessRequest): Promise<RequestView> {
  return { ctx: await loadViewContext(deps, peopleOfRequest(request)), request };
}

/** A request the viewer may see, or undefined (missing and not theirs look the same). */
export async function viewRequest(
  deps: AppDeps,
  viewerId: UserId,
  requestId: string,
): Promise<RequestView | undefined> {
  const request = (await deps.requests.get(requestId))?.value;
  if (!request || !mayView(request, viewerId)) return undefined;
  return requestView(deps, request);
}

/** "My requests": by or for the viewer, newest first. */
export async function myRequests(
  deps: AppDeps,
  viewerId: UserId,
  limit = 20,
): Promise<{ ctx: ViewContext; requests: AccessRequest[] }> {
  const requests = await deps.requests.listForUser(viewerId, limit);
  const ctx = await loadViewContext(deps, [viewerId, ...requests.map((r) => r.targetUserId)]);
  return { ctx, requests };
}

/** "My access": what the viewer holds now (being delivered included). */
export async function myAccess(
  deps: AppDeps,
  viewerId: UserId,
): Promise<{ ctx: ViewContext; assignments: Assignment[] }> {
  const [assignments, ctx] = await Promise.all([
    deps.assignments.listForUser(viewerId),
    loadViewContext(deps, [viewerId]),
  ]);
  // Ended access whose removal has not gone through yet is listed as such, not left out.
  return { ctx, assignments: assignments.filter(accessMayRemain) };
}

/** "My approvals": requests waiting for the viewer's decision. */
export async function myApprovals(
  deps: AppDeps,
  viewerId: UserId,
): Promise<{ ctx: ViewContext; requests: AccessRequest[] }> {
  // A delegate also sees what waits for the approvers they decide for (not their own requests).
  const principals = await principalsNow(deps, viewerId);
  const lists = await Promise.all(
    [viewerId, ...principals].map((id) => deps.requests.listPendingForApprover(id)),
  );
  const seen = new Set<string>();
  const requests = lists.flatMap((list, i) =>
    list.filter((r) => {
      if (seen.has(r.id)) return false;
      if (i > 0 && (r.requesterId === viewerId || r.targetUserId === viewerId)) return false;
      seen.add(r.id);
      return true;
    }),
  );
  const ctx = await loadViewContext(
    deps,
    requests.flatMap((r) => [r.requesterId, r.targetUserId]),
  );
  return { ctx, requests };
}
