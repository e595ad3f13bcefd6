import { getMyAccess } from "../../app/get-my-access";
import type { UserId } from "../../domain/model";
import { matchPackages } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { loadViewContext } from "../../app/queries/view-context";
import * as queries from "../../app/queries/requests";
import { approvalsDigest } from "../../app/queries/approvals-digest";
import { approvalsDigestView } from "../../views/approvals-digest";
import { myAccessView, myRequestsView } from "../../views/lists";
import { noticeView } from "../../views/notices";
import { requestStatusView } from "../../views/request";
import type { HandlerDeps } from "../turn";

export async function myRequests(deps: HandlerDeps, actorId: UserId): Promise<CardMessage> {
  const { ctx, requests } = await queries.myRequests(deps, actorId);
  return myRequestsView(ctx, actorId, requests);
}

export async function myAccess(deps: HandlerDeps, actorId: UserId): Promise<CardMessage> {
  const { ctx, assignments } = await queries.myAccess(deps, actorId);
  return myAccessView(ctx, assignments);
}

/** "My approvals", "approvals digest": every request waiting for the person, to decide on one card. */
export async function myApprovals(deps: HandlerDeps, actorId: UserId): Promise<CardMessage> {
  return approvalsDigestView(await approvalsDigest(deps, actorId));
}

/**
 * "Cancel my request for X": typed text never cancels on its own; it shows the request with its
 * Cancel button, so a stray word can't withdraw anything.
 */
export async function cancelPrompt(deps: HandlerDeps, actorId: UserId, query?: string): Promise<CardMessage> {
  const mine = await getMyAccess(deps, actorId);
  const open = mine.requests.filter(
    (r) => r.requesterId === actorId && (r.state === "submitted" || r.state === "pendingApproval"),
  );
  let chosen = open;
  if (query && open.length > 0) {
    const ctx = await loadViewContext(deps, []);
    const packages = open.map((r) => ctx.index.package(r.packageId)).filter((p) => p !== undefined);
    const hits = new Set(
      matchPackages(
        query,
        packages.map((p) => ({ package: { ...p, hidden: false }, catalogName: "", resourceNames: [] })),
      ).map((m) => m.package.id),
    );
    chosen = open.filter((r) => hits.has(r.packageId));
  }
  if (chosen.length === 1) {
    const { ctx, request } = await queries.requestView(deps, chosen[0]!);
    return requestStatusView(ctx, request, actorId);
  }
  if (open.length === 0)
    return noticeView("Nothing to cancel", ["You have no requests waiting for approval."]);
  const ctx = await loadViewContext(deps, [actorId, ...chosen.map((r) => r.targetUserId)]);
  return myRequestsView(ctx, actorId, chosen.length > 0 ? chosen : open);
}
