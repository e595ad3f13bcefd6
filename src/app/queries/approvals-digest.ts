import type { AccessRequest, UserId } from "../../domain/model";
import { currentApprovers, peopleOfRequest } from "../../domain/request/participants";
import type { ConversationStore } from "../../ports/conversations";
import type { ApprovalsDigestModel } from "../../ports/read-models";
import type { RequestStore } from "../../ports/stores";
import { type ViewSources, loadViewContext, teamsUserIds } from "./view-context";

export type DigestSources = ViewSources & { requests: RequestStore; conversations: ConversationStore };

/**
 * Requests whose current stage the approver may decide now, oldest first. The approver index can
 * hold a row a moment longer than the request needs it (index rows are dropped after the save), so
 * each request is checked against its own stage.
 */
export async function pendingFor(sources: Pick<DigestSources, "requests">, approverId: UserId) {
  const listed = await sources.requests.listPendingForApprover(approverId);
  return listed
    .filter((r) => currentApprovers(r).includes(approverId))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** The approvals digest: one card with every request waiting for the approver. */
export async function approvalsDigest(
  sources: DigestSources,
  approverId: UserId,
  /** Requests the answer also names (those just decided), so their people are loaded too. */
  naming: AccessRequest[] = [],
): Promise<ApprovalsDigestModel> {
  const requests = await pendingFor(sources, approverId);
  const [ctx, refreshUserIds] = await Promise.all([
    loadViewContext(sources, [...requests, ...naming].flatMap(peopleOfRequest)),
    teamsUserIds(sources.conversations, [approverId]),
  ]);
  return { ctx, approverId, requests, refreshUserIds };
}
