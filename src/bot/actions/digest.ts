import { type PickedRequest, decideApprovals } from "../../app/decide-approvals";
import { approvalsDigest } from "../../app/queries/approvals-digest";
import type { DigestOutcome } from "../../ports/read-models";
import { LIMITS } from "../../domain/request/validate-request";
import type { UserId } from "../../domain/model";
import type { CardMessage } from "../../ports/notifier";
import { approvalsDigestView } from "../../views/approvals-digest";
import type { HandlerDeps } from "../turn";
import { type ActionAnswer, type ActionTurn, need } from "./execute";

/** Most requests one click may decide: a digest lists 20; more is not a card we drew. */
const MAX_PICKS = 50;
/** The shape of our request ids, as card-data checks them. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;
const PICKED = /^(\d{1,2})\.(\d{1,10})$/;

/** The approver's digest as stored now, with what the click just did on top. */
export async function digestMessage(
  deps: HandlerDeps,
  approverId: UserId,
  outcomes: DigestOutcome[] = [],
): Promise<CardMessage> {
  const named = outcomes.flatMap((o) => (o.request ? [o.request] : []));
  return approvalsDigestView(await approvalsDigest(deps, approverId, named), outcomes);
}

/**
 * The toggles the approver switched on. Each carries the stage and revision its row showed
 * (`pick_<requestId>` = "<stage>.<revision>"); a toggle that is off carries anything else. Card
 * data is untrusted: ids are checked like any other, and decideApproval checks the clicker.
 */
function picksOf(turn: ActionTurn): PickedRequest[] {
  const picks: PickedRequest[] = [];
  for (const [key, value] of Object.entries(turn.data.withPrefix("pick_"))) {
    const on = typeof value === "string" ? PICKED.exec(value) : null;
    if (!on) continue;
    const requestId = key.slice("pick_".length);
    if (!ID.test(requestId)) invalid("The card has no valid request id.");
    picks.push({ requestId, stage: Number(on[1]), revision: Number(on[2]) });
  }
  if (picks.length > MAX_PICKS) invalid(`Select at most ${MAX_PICKS} requests.`);
  return picks;
}

/** Ends the action with an error card and an audit row, like any other bad card data. */
const invalid = (message: string): never => need({ ok: false, error: { code: "CARD.INVALID", message } });

/** Approve or Deny on one row of the digest: answered with the digest, the row gone. */
export function digestDecideAction(outcome: "approve" | "deny") {
  return async (turn: ActionTurn): Promise<ActionAnswer> => {
    const { deps, actorId, data } = turn;
    const pick = {
      requestId: need(data.id("requestId")),
      stage: need(data.int("stage", 50)),
      revision: need(data.int("revision")),
    };
    const justification = need(data.text("digestReason", LIMITS.justification));
    const outcomes = await decideApprovals(deps, {
      actorId,
      picks: [pick],
      outcome,
      justification,
      source: `card:digest.${outcome}`,
    });
    return digestMessage(deps, actorId, outcomes);
  };
}

/** Approve selected / Deny selected: one reason for every request switched on. */
export function digestSelectedAction(outcome: "approve" | "deny") {
  return async (turn: ActionTurn): Promise<ActionAnswer> => {
    const { deps, actorId, data } = turn;
    const picks = picksOf(turn);
    const justification = need(data.text("digestReason", LIMITS.justification));
    if (picks.length === 0)
      return "Select the requests first, then choose Approve selected or Deny selected.";
    const outcomes = await decideApprovals(deps, {
      actorId,
      picks,
      outcome,
      justification,
      source: `card:digest.${outcome}Selected`,
    });
    return digestMessage(deps, actorId, outcomes);
  };
}

/** Teams asks for the viewer's current digest (refresh), or the approver asked again. */
export async function refreshDigest({ deps, actorId }: ActionTurn): Promise<ActionAnswer> {
  return digestMessage(deps, actorId);
}
