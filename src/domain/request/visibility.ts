import type { AccessRequest, UserId } from "../model";

/** Who may look at a request's card: the people in it and the approvers of any stage. */
export function mayView(request: AccessRequest, userId: UserId): boolean {
  return (
    request.requesterId === userId ||
    request.targetUserId === userId ||
    request.stages.some((s) => s.approvers.includes(userId) || s.escalationApprovers.includes(userId))
  );
}
