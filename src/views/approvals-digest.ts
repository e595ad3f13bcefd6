import type { CardMessage } from "../ports/notifier";
import type { ApprovalsDigestModel, DigestOutcome, ViewContext } from "../ports/read-models";
import { nameOf, packageName } from "./context";
import { decisionText } from "./request";
import { LIMITS, safeText } from "./text";
import { timeLeft, when } from "./time";

/** Most requests one digest lists: a card must stay well under Teams' size limit. */
export const DIGEST_MAX_ITEMS = 20;

function outcomeLine(ctx: ViewContext, outcome: DigestOutcome): { text: string; good: boolean } {
  const r = outcome.request;
  const what = r
    ? `${packageName(ctx, r.packageId)} for ${nameOf(ctx, r.targetUserId)}`
    : `Request ${outcome.requestId}`;
  const why = outcome.message ? `: ${safeText(outcome.message, LIMITS.short)}` : "";
  switch (outcome.kind) {
    case "approved":
      return { text: `Approved: ${what}`, good: true };
    case "denied":
      return { text: `Denied: ${what}`, good: true };
    case "alreadyDecided": {
      const decision = outcome.stage ? r?.stages[outcome.stage - 1]?.decision : undefined;
      const who = decision ? `. ${decisionText(ctx, decision)}` : why;
      return { text: `Already decided: ${what}${who}`, good: false };
    }
    case "needsReason":
      return { text: `Not decided, a reason is required: ${what}`, good: false };
    case "refused":
      return { text: `Not decided: ${what}${why}`, good: false };
  }
}

/**
 * One card with every request waiting for the approver: each with Approve and Deny, a toggle to
 * select it, and Approve selected / Deny selected with one reason. `outcomes` answer a click.
 */
export function approvalsDigestView(
  model: ApprovalsDigestModel,
  outcomes: DigestOutcome[] = [],
): CardMessage {
  const { ctx, requests } = model;
  const shown = requests.slice(0, DIGEST_MAX_ITEMS);
  const items = shown.map((r) => {
    const stageIndex = r.currentStage ?? 0;
    const stage = r.stages[stageIndex];
    const policy = ctx.index.policy(r.policyId);
    const stageCount = Math.max(policy?.approval.stages.length ?? 0, r.stages.length, 1);
    const reasonRequired = policy?.approval.stages[stageIndex]?.approverJustificationRequired ?? false;
    return {
      requestId: r.id,
      stage: stageIndex + 1,
      revision: r.revision,
      packageName: packageName(ctx, r.packageId),
      requesterName: nameOf(ctx, r.requesterId),
      forLine: r.requesterId !== r.targetUserId ? `for ${nameOf(ctx, r.targetUserId)}` : "",
      stageLabel: `Stage ${stageIndex + 1} of ${stageCount}${reasonRequired ? ", reason required" : ""}`,
      justification: safeText(r.justification, LIMITS.short) || "(none given)",
      waitingSince: stage ? `Waiting since ${when(stage.startedAt)}, ${timeLeft(ctx.now, stage.dueAt)}` : "",
    };
  });
  const lines = outcomes.map((o) => outcomeLine(ctx, o));
  const count = requests.length;
  return {
    template: "approvals-digest",
    summary:
      count === 0 ? "Nothing is waiting for your approval" : `${count} requests wait for your approval`,
    data: {
      title: count === 0 ? "Nothing is waiting for you" : `Waiting for your approval (${count})`,
      empty: count === 0,
      several: shown.length > 1,
      items,
      outcomes: lines.map((l) => ({ text: l.text, color: l.good ? "Good" : "Attention" })),
      hasOutcomes: lines.length > 0,
      more:
        count > shown.length
          ? `Showing the oldest ${shown.length} of ${count}; decide these and the next ones follow.`
          : "",
      refreshUserIds: model.refreshUserIds,
    },
  };
}
