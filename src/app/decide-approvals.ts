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

/**
 * The same decision on several requests, one after another, each through `decideApproval`: each
 * request is its own compare-and-swap (first decision wins per request), each stage's rule on
 * reasons applies, self-approval and strangers are refused and audited as for one card. Delivery
 * after each final approval runs in the background, as for one card.
 */
export async function decideApprovals(deps: AppDeps, input: DecideApprovalsInput): Promise<DigestOutcome[]> {
  const outcomes: DigestOutcome[] = [];
  const seen = new Set<string>();
  for (const pick of input.picks) {
    if (seen.has(pick.requestId)) continue;
    seen.add(pick.requestId);
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
      outcomes.push({ ...base, request: decided.value.request, kind });
      continue;
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
    outcomes.push({ ...base, kind, message, ...(request ? { request } : {}) });
  }
  return outcomes;
}
