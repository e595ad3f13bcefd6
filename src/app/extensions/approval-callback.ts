import type { DomainErrorCode } from "../../domain/errors";
import { extensionActor } from "../../domain/extensions/model";
import { findExtension } from "../../domain/extensions/selection";
import { isBefore, toMs } from "../../domain/time";
import type { AppDeps } from "../deps";
import { decideApproval } from "../decide-approval";
import { loadIndex, nowIso } from "../shared/context";
import { auditRefusal } from "../shared/effects";

/** An approval extension's POST to its callback URL, as the HTTP route received it. */
export interface ApprovalCallbackInput {
  token: string;
  /** The raw body, exactly as received: the signature covers these bytes. */
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

export interface CallbackAnswer {
  status: number;
  body:
    | { status: "recorded"; outcome: "approve" | "deny"; requestId: string }
    | { error: { code: string; message: string } };
}

/** How far a callback's timestamp may be from our clock: a captured call cannot be replayed later. */
export const CALLBACK_TOLERANCE_MS = 5 * 60_000;

const refuse = (status: number, code: string, message: string): CallbackAnswer => ({
  status,
  body: { error: { code, message } },
});

const STATUS_OF: Partial<Record<DomainErrorCode, number>> = {
  "APPROVAL.ALREADY_DECIDED": 409,
  "REQUEST.NOT_PENDING": 409,
  "APPROVAL.STAGE_MISMATCH": 409,
  "APPROVAL.NOT_AN_APPROVER": 403,
  "REQUEST.NOT_FOUND": 404,
  "APPROVAL.JUSTIFICATION_REQUIRED": 422,
  "REQUEST.INVALID": 422,
};

/**
 * An approval extension decides a stage through the single-use callback URL it was sent. Checked in
 * order: the URL is one Access Desk signed; the body is signed with the extension's secret and
 * recent; the stage's decision window has not ended; the stage is the one the URL was made for and
 * nobody decided it yet (so a replay or a second use is refused). The decision then goes through
 * `decideApproval` like a click: first decision wins. Every refusal is audited.
 */
export async function answerApprovalCallback(
  deps: AppDeps,
  input: ApprovalCallbackInput,
): Promise<CallbackAnswer> {
  const ports = deps.extensions;
  if (!ports) return refuse(503, "CALLBACK.UNAVAILABLE", "Custom extensions are not configured.");
  const claims = ports.tokens.read(input.token);
  const audited = async (
    answer: CallbackAnswer,
    actor: string,
    extra: { targetUserId?: string; packageId?: string } = {},
  ) => {
    const error = "error" in answer.body ? answer.body.error : { code: "?", message: "" };
    await auditRefusal(deps, {
      actor,
      source: "extension:callback",
      subject: claims ? `request:${claims.requestId}` : "extension:callback",
      code: error.code,
      message: error.message,
      action: "extension.callbackRefused",
      ...extra,
    });
    return answer;
  };
  if (!claims)
    return audited(
      refuse(401, "CALLBACK.BAD_TOKEN", "This callback URL was not issued by Access Desk."),
      "system",
    );
  const actor = extensionActor(claims.extensionId);

  const found = findExtension((await loadIndex(deps)).config.catalogs, claims.extensionId);
  if (!found)
    return audited(
      refuse(403, "CALLBACK.UNKNOWN_EXTENSION", `No extension "${claims.extensionId}" is declared.`),
      actor,
    );
  if (!input.timestamp || !input.signature)
    return audited(
      refuse(401, "CALLBACK.UNSIGNED", "Sign the body: X-AccessDesk-Timestamp and X-AccessDesk-Signature."),
      actor,
    );
  const verdict = ports.signatures.verify(
    found.extension.secretName,
    input.timestamp,
    input.body,
    input.signature,
  );
  if (verdict !== "valid")
    return audited(
      refuse(
        401,
        "CALLBACK.BAD_SIGNATURE",
        verdict === "noSecret"
          ? "The extension's secret is not configured."
          : "The signature does not match the body.",
      ),
      actor,
    );
  const now = nowIso(deps);
  const sentAt = Number(input.timestamp) * 1000;
  if (!Number.isFinite(sentAt) || Math.abs(toMs(now) - sentAt) > CALLBACK_TOLERANCE_MS)
    return audited(
      refuse(
        401,
        "CALLBACK.STALE_SIGNATURE",
        "The timestamp is more than 5 minutes away: sign the call again.",
      ),
      actor,
    );
  if (!isBefore(now, claims.expiresAt))
    return audited(
      refuse(410, "CALLBACK.EXPIRED", `The stage's decision window ended at ${claims.expiresAt}.`),
      actor,
    );

  const request = (await deps.requests.get(claims.requestId))?.value;
  const target = request ? { targetUserId: request.targetUserId, packageId: request.packageId } : {};
  const stage = request?.stages[claims.stage - 1];
  if (!request || !stage || stage.startedAt !== claims.startedAt)
    return audited(
      refuse(410, "CALLBACK.NOT_THIS_STAGE", "This callback URL is for a stage that no longer waits."),
      actor,
      target,
    );
  if (stage.decision)
    return audited(
      refuse(
        409,
        "CALLBACK.USED",
        `Stage ${claims.stage} was already decided (${stage.decision.outcome}) by ${stage.decision.by} at ${stage.decision.at}; the URL is used up.`,
      ),
      actor,
      target,
    );

  let parsed: { decision?: unknown; reason?: unknown };
  try {
    parsed = JSON.parse(input.body) as typeof parsed;
  } catch {
    return audited(
      refuse(400, "CALLBACK.BAD_BODY", 'Send JSON: { "decision": "approve" | "deny", "reason": "..." }.'),
      actor,
      target,
    );
  }
  const outcome = parsed?.decision;
  const reason = parsed?.reason ?? "";
  if ((outcome !== "approve" && outcome !== "deny") || typeof reason !== "string")
    return audited(
      refuse(400, "CALLBACK.BAD_BODY", 'Send JSON: { "decision": "approve" | "deny", "reason": "..." }.'),
      actor,
      target,
    );

  // decideApproval audits its own refusals (as a card action would be).
  const decided = await decideApproval(deps, {
    actorId: actor,
    requestId: claims.requestId,
    stage: claims.stage,
    outcome,
    justification: reason,
    source: `extension:${claims.extensionId}`,
  });
  if (!decided.ok)
    return refuse(STATUS_OF[decided.error.code] ?? 422, decided.error.code, decided.error.message);
  // A second identical call that passed the checks above with the first one (both read the stage
  // undecided) finds the decision made: the URL is used up for it too.
  if (decided.value.repeated || decided.value.request.stages[claims.stage - 1]?.decision?.by !== actor)
    return audited(refuse(409, "CALLBACK.USED", "This stage was already decided."), actor, target);
  void decided.value.followUp;
  return { status: 200, body: { status: "recorded", outcome, requestId: claims.requestId } };
}
