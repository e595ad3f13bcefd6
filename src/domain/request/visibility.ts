import type { AccessRequest, UserId } from "../model";

/** Who may look at a request's card: the people in it, the approvers of any stage and who decided one. */
export function mayView(request: AccessRequest, userId: UserId): boolean {
  return (
    request.requesterId === userId ||
    request.targetUserId === userId ||
    request.stages.some(
      (s) =>
        s.approvers.includes(userId) || s.escalationApprovers.includes(userId) || s.decision?.by === userId,
    )
  );
}
