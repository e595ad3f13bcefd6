import type { DomainEvent } from "../../domain/model";
import type { EffectBatch } from "../../ports/events";
import type { DueItem } from "../../ports/stores";
import type { AppDeps } from "../deps";
import { nowIso } from "../shared/context";
import { type ExtensionCall, keyOf } from "./call";

/**
 * A call that failed for good: audited once (the id derives from the call's key) and told to the
 * catalog owners through the notification sink's replay, which keeps this item due until the
 * notices are out (the delivery log skips owners already told).
 */
export async function reportFailure(deps: AppDeps, item: DueItem, call: ExtensionCall): Promise<void> {
  const key = keyOf(item);
  const at = item.dueAt;
  const [kind, id] = call.subject.split(":") as ["request" | "assignment", string];
  const target =
    kind === "request"
      ? (await deps.requests.get(id))?.value.targetUserId
      : (await deps.assignments.get(id))?.value.userId;
  await deps.audit.append([
    {
      id: `extfail-${key}`,
      at,
      actor: "system",
      action: "extension.failed",
      subject: call.subject,
      source: `extension:${call.extensionId}`,
      packageId: call.packageId,
      ...(target ? { targetUserId: target } : {}),
      reason: call.failed,
      details: { extension: call.extensionId, event: call.eventType, attempts: String(call.attempt), key },
    },
  ]);
  const event: DomainEvent = {
    type: "ExtensionFailed",
    catalogId: call.catalogId,
    extensionId: call.extensionId,
    eventType: call.eventType,
    subject: call.subject,
    packageId: call.packageId,
    error: call.failed ?? "failed",
  };
  const batch: EffectBatch = {
    id: `extfail-${key}`,
    at: nowIso(deps),
    subject: { kind, id },
    events: [event],
    item,
  };
  await deps.events.replay(batch);
}
