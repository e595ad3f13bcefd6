import { findExtension } from "../../domain/extensions/selection";
import { WEBHOOK_RETRY, webhookRetryDelayMs } from "../../domain/extensions/backoff";
import { activeApprovers } from "../../domain/request/common";
import { extensionActor } from "../../domain/extensions/model";
import { addMs, isAfter } from "../../domain/time";
import type { WebhookOutcome } from "../../ports/extensions";
import type { DueItem } from "../../ports/stores";
import type { AppDeps } from "../deps";
import type { DueHandlers } from "../due-work";
import { loadIndex, nowIso } from "../shared/context";
import { callItem, type ExtensionCall, keyOf, readCall } from "./call";
import { reportFailure } from "./failure";

/** Whether the call still has something to say: the stage still waits, the access still ends then. */
async function stillWanted(deps: AppDeps, call: ExtensionCall): Promise<boolean> {
  if (call.approval) {
    const r = (await deps.requests.get(call.approval.requestId))?.value;
    const stage = r?.stages[call.approval.stage - 1];
    return (
      r?.state === "pendingApproval" &&
      r.currentStage === call.approval.stage - 1 &&
      stage?.startedAt === call.approval.startedAt &&
      !stage.decision &&
      activeApprovers(stage).includes(extensionActor(call.extensionId))
    );
  }
  if (call.expectEndAt) {
    const a = (await deps.assignments.get(call.subject.replace(/^assignment:/, "")))?.value;
    return !!a && ["delivered", "partiallyDelivered"].includes(a.state) && a.endAt === call.expectEndAt;
  }
  return true;
}

/**
 * Runs one outbox item: calls the extension with the body planned for it (same idempotency key on
 * every attempt), and after a failure schedules the next attempt with backoff, or, once the
 * attempts are spent (or the receiver refused for good), an item that reports the failure.
 */
export async function deliverExtensionCall(deps: AppDeps, item: DueItem): Promise<void> {
  const call = readCall(item);
  if (call.failed !== undefined) return reportFailure(deps, item, call);
  const found = findExtension((await loadIndex(deps)).config.catalogs, call.extensionId);
  if (!found) {
    deps.logger.info(
      { extension: call.extensionId, key: keyOf(item) },
      "extension no longer declared; call dropped",
    );
    return;
  }
  if (!(await stillWanted(deps, call))) return;
  const ports = deps.extensions;
  if (!ports) throw new Error("custom extensions are not wired in this process"); // retried later
  const { extension } = found;

  let outcome: WebhookOutcome;
  try {
    const body = call.approval
      ? {
          ...call.body,
          callback: {
            url: `${ports.callbackBaseUrl}/${ports.tokens.mint(call.approval)}`,
            method: "POST",
            expiresAt: call.approval.expiresAt,
          },
        }
      : call.body;
    outcome = await ports.sender.send({
      url: extension.url,
      secretName: extension.secretName,
      idempotencyKey: keyOf(item),
      eventType: call.eventType,
      body: JSON.stringify(body),
      timeoutMs: extension.timeoutSeconds * 1000,
    });
  } catch (error) {
    // A setting that is missing (the secret, the callback key) will not appear by retrying soon.
    outcome = { ok: false, error: error instanceof Error ? error.message : String(error), retryable: false };
  }
  if (outcome.ok) {
    deps.logger.info(
      { extension: extension.id, key: keyOf(item), status: outcome.status },
      "extension called",
    );
    return;
  }
  const now = nowIso(deps);
  deps.logger.warn(
    { extension: extension.id, key: keyOf(item), attempt: call.attempt, error: outcome.error },
    "extension call failed",
  );
  if (outcome.retryable && call.attempt < WEBHOOK_RETRY.attempts) {
    const next = { ...call, attempt: call.attempt + 1 };
    const dueAt = addMs(now, webhookRetryDelayMs(call.attempt, outcome.retryAfterMs));
    await deps.due.schedule([callItem(next, keyOf(item), dueAt)]);
    return;
  }
  // A row of its own: at this item's time the key would be this item, which is removed when done.
  const failAt = isAfter(now, item.dueAt) ? now : addMs(item.dueAt, 1);
  await deps.due.schedule([callItem({ ...call, failed: outcome.error }, keyOf(item), failAt)]);
}

export const extensionHandlers: DueHandlers = { extensionCall: deliverExtensionCall };
