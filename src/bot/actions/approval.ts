import { decideApproval } from "../../app/decide-approval";
import { approvalMessage } from "../cards";
import { mayView } from "../../domain/request/visibility";
import { LIMITS } from "../../domain/request/validate-request";
import { errorView } from "../../views/error";
import { type ActionTurn, type ActionAnswer, need } from "./execute";
import { sendCard } from "../turn";
import { isDelegateFor } from "../../app/delegation/in-force";
import { stepUpAnswer } from "../step-up/handlers";

const NOT_FOUND = errorView({
  code: "REQUEST.NOT_FOUND",
  message: "That request doesn't exist or isn't yours to see.",
});

/** Approve or Deny: the decision is recorded before answering; delivery runs afterwards. */
export function decideAction(outcome: "approve" | "deny") {
  return async ({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> => {
    const requestId = need(data.id("requestId"));
    const stage = need(data.int("stage", 50));
    const revision = need(data.int("revision"));
    const justification = need(data.text("decisionReason", LIMITS.justification));
    const decided = await decideApproval(deps, {
      actorId,
      requestId,
      stage,
      revision,
      outcome,
      justification,
      source: `card:approval.${outcome}`,
    });
    if (decided.ok) {
      // Provisioning is not awaited: the clicker gets the decided card at once.
      void decided.value.followUp;
      return approvalMessage(deps, decided.value.request, actorId);
    }
    const { code } = decided.error;
    // A step-up stage without a fresh MFA sign-in: nothing was recorded; offer the sign-in.
    if (code === "APPROVAL.STEP_UP_REQUIRED") return stepUpAnswer(deps, requestId, decided.error);
    // A missing reason is the clicker's to fix on the same card: answer with a message, keep the card.
    if (code === "APPROVAL.JUSTIFICATION_REQUIRED") return decided.error.message;
    const current = (await deps.requests.get(requestId))?.value;
    if (!current || !mayView(current, actorId))
      return code === "REQUEST.NOT_FOUND" ? NOT_FOUND : errorView(decided.error);
    if (
      code === "APPROVAL.ALREADY_DECIDED" ||
      code === "REQUEST.NOT_PENDING" ||
      code === "APPROVAL.STALE_CARD"
    ) {
      // The loser of a race, or an old card: show what is true now and who decided.
      const decidedBefore = current.stages[stage - 1]?.decision !== undefined;
      return approvalMessage(
        deps,
        current,
        actorId,
        decidedBefore ? { alreadyDecidedStage: stage } : decided.error.message,
      );
    }
    return errorView(decided.error);
  };
}

/** Teams asks for the viewer's version of the card: buttons only for the stage's approvers. */
export async function refreshApproval({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const requestId = need(data.id("requestId"));
  const request = (await deps.requests.get(requestId))?.value;
  if (!request || !(mayView(request, actorId) || (await isDelegateFor(deps, request, actorId))))
    return NOT_FOUND;
  return approvalMessage(deps, request, actorId);
}

/** "Open" on the approvals list: the approval card as a new message. */
export async function openApproval({ deps, context, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const requestId = need(data.id("requestId"));
  const request = (await deps.requests.get(requestId))?.value;
  if (!request || !(mayView(request, actorId) || (await isDelegateFor(deps, request, actorId))))
    return NOT_FOUND;
  const message = await approvalMessage(deps, request, actorId);
  const activityId = await sendCard(context, message);
  const conversationId = context.activity.conversation?.id;
  if (activityId && conversationId) {
    await deps.conversations.rememberCard({
      subject: `request:${request.id}`,
      userId: actorId,
      conversationId,
      activityId,
    });
  }
  return "The request is shown below.";
}
