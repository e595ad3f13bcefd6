import type { AccessRequest, UserId } from "../domain/model";
import type { SodConflict } from "../domain/sod/separation-of-duties";
import type { CardMessage } from "../ports/notifier";
import type { ApprovalCardModel } from "../ports/read-models";
import { type ApprovalNotice, approvalCardFor } from "./approval";

/** A separation-of-duties conflict in the words an approver reads. */
function sodWarning(conflict: SodConflict): string {
  switch (conflict.kind) {
    case "group":
      return "Is a member of a group that conflicts with this package";
    case "assignment":
      return `Already has ${conflict.packageName}, which conflicts with this package`;
    case "request":
      return `Has an open request for ${conflict.packageName}, which conflicts with this package`;
  }
}

/** The approval card of a request as `viewerId` should see it, from the loaded card model. */
export function approvalCard(
  model: ApprovalCardModel,
  request: AccessRequest,
  viewerId: UserId | undefined,
  notice?: ApprovalNotice,
): CardMessage {
  return approvalCardFor(model.ctx, request, viewerId, {
    refreshUserIds: model.refreshUserIds,
    ...(model.delegates ? { delegates: model.delegates } : {}),
    sodWarnings: model.sodConflicts.map(sodWarning),
    notice,
  });
}
