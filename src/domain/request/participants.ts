import type { AccessRequest, UserId } from "../model";

const unique = (ids: UserId[]): UserId[] => [...new Set(ids)];

/** The requester (unless "system") and the person the access is for. */
export function requestParticipants(request: AccessRequest): UserId[] {
  const ids = [request.targetUserId];
  if (request.requesterId !== "system") ids.push(request.requesterId);
  return unique(ids);
}

/** Who may decide now: the current stage's approvers, plus its escalation approvers once escalated. */
export function currentApprovers(request: AccessRequest): UserId[] {
  if (request.state !== "pendingApproval" || request.currentStage === undefined) return [];
  const stage = request.stages[request.currentStage];
  if (!stage || stage.decision) return [];
  return unique(stage.escalated ? [...stage.approvers, ...stage.escalationApprovers] : stage.approvers);
}

/** Everyone a request's cards may name: requester, target, approvers and deciders. */
export function peopleOfRequest(request: AccessRequest): Array<UserId | "system"> {
  return [
    request.requesterId,
    request.targetUserId,
    ...request.stages.flatMap((s) => [
      ...s.approvers,
      ...s.escalationApprovers,
      s.decision?.by ?? "system",
      s.decision?.onBehalfOf ?? "system",
    ]),
  ];
}
