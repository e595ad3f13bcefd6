import type { CallbackClaims, ExtensionEventType } from "../../domain/extensions/model";
import type { DueItem } from "../../ports/stores";

/** One call of the outbox (a due `extensionCall` item's payload), from its first attempt to its end. */
export interface ExtensionCall {
  extensionId: string;
  catalogId: string;
  packageId: string;
  eventType: ExtensionEventType;
  /** "request:<id>" or "assignment:<id>". */
  subject: string;
  /** The attempt this item makes, from 1. */
  attempt: number;
  /** The webhook body, built when the call was planned (the callback URL is added when sent). */
  body: Record<string, unknown>;
  /** For an approval extension: the stage its callback URL decides. */
  approval?: CallbackClaims;
  /** removalScheduled: call only if the assignment still ends then. */
  expectEndAt?: string;
  /** Set once the retries are spent: the item then reports the failure instead of calling. */
  failed?: string;
}

/** The idempotency key of a call: stable across retries and reruns (the due item's discriminator). */
export const keyOf = (item: DueItem): string => item.discriminator;

export function callItem(call: ExtensionCall, key: string, dueAt: string): DueItem {
  return {
    kind: "extensionCall",
    dueAt,
    subjectId: call.subject,
    discriminator: key,
    payload: JSON.stringify(call),
  };
}

export function readCall(item: DueItem): ExtensionCall {
  const call = JSON.parse(item.payload ?? "{}") as Partial<ExtensionCall>;
  if (typeof call.extensionId !== "string" || typeof call.eventType !== "string" || !call.body)
    throw new Error(`extension call ${item.discriminator} has no readable payload`);
  return call as ExtensionCall;
}
