import type { UserId } from "../domain/model";
import { mayView } from "../domain/request/visibility";
import type { DigestOutcome } from "../ports/read-models";
import type { AppDeps } from "./deps";
import { decideApproval } from "./decide-approval";

/** One request picked on a digest: its id and the stage and revision the card showed. */
export interface PickedRequest {
  requestId: string;
  stage: number;
  revision: number;
}

export interface DecideApprovalsInput {
  /** The clicker, from `activity.from.aadObjectId`: never from card data. */
  actorId: UserId;
  picks: PickedRequest[];
  outcome: "approve" | "deny";
  justification: string;
  source: string;
}

/** Codes that mean "someone (or this approver) got there first", not "you may not". */
const DECIDED_BEFORE = new Set(["APPROVAL.ALREADY_DECIDED", "REQUEST.NOT_PENDING", "APPROVAL.STALE_CARD"]);

/** Requests decided at once for one click: enough to keep the answer short, few enough to share storage. */
const AT_ONCE = 4;

/**
 * The same decision on several requests, a few at a time, each through `decideApproval`: each
 * request is its own compare-and-swap (first decision wins per request), each stage's rule on
 * reasons applies, self-approval and strangers are refused and audited as for one card. Delivery
 * after each final approval runs in the background, as for one card. Outcomes keep the picks' order.
 */
export async function decideApprovals(deps: AppDeps, input: DecideApprovalsInput): Promise<DigestOutcome[]> {
  const seen = new Set<string>();
  const picks = input.picks.filter((p) => !seen.has(p.requestId) && seen.add(p.requestId));
  const outcomes: DigestOutcome[] = new Array(picks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < picks.length; i = next++) outcomes[i] = await decideOne(deps, input, picks[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, picks.length) }, worker));
  return outcomes;
}

async function decideOne(
  deps: AppDeps,
  input: DecideApprovalsInput,
  pick: PickedRequest,
): Promise<DigestOutcome> {
  const decided = await decideApproval(deps, {
    actorId: input.actorId,
    requestId: pick.requestId,
    stage: pick.stage,
    revision: pick.revision,
    outcome: input.outcome,
    justification: input.justification,
    source: input.source,
  });
  const base = { requestId: pick.requestId, stage: pick.stage };
  if (decided.ok) {
    void decided.value.followUp;
    const kind = input.outcome === "approve" ? "approved" : "denied";
    return { ...base, request: decided.value.request, kind };
  }
  const { code, message } = decided.error;
  const stored = (await deps.requests.get(pick.requestId))?.value;
  const request = stored && mayView(stored, input.actorId) ? stored : undefined;
  const kind =
    code === "APPROVAL.JUSTIFICATION_REQUIRED"
      ? "needsReason"
      : DECIDED_BEFORE.has(code) && request
        ? "alreadyDecided"
        : "refused";
  return { ...base, kind, message, ...(request ? { request } : {}) };
}
